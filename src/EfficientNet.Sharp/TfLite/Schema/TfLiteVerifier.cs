namespace EfficientNet.Sharp.TfLite.Schema;

/// <summary>
/// Checks, before anything is read, every table, vector and string of the TFLite schema that the importer
/// follows (<see cref="FlatTable"/> reads nothing else), with <see cref="FlatBufferVerifier"/>. A
/// truncated or corrupted file then fails here with one error that says where, instead of an index
/// exception (or a silent wrong read) deep inside the import.
/// </summary>
/// <remarks>
/// This checks structure, not values: TFLite files have no checksum, so a corrupted weight, scale or
/// zero point that still lies where it should cannot be detected by anything.
/// </remarks>
internal static class TfLiteVerifier
{
    /// <summary>Throws <see cref="InvalidDataException"/> naming the first structural problem.</summary>
    public static void Verify(byte[] bytes)
    {
        var v = new FlatBufferVerifier(bytes);
        VerifiedTable model = v.Root(TfLiteFields.FileIdentifier);
        v.Scalar(model, TfLiteFields.Model.Version, 4);
        foreach (VerifiedTable code in v.Tables(model, TfLiteFields.Model.OperatorCodes))
        {
            v.Scalar(code, TfLiteFields.OperatorCode.DeprecatedBuiltinCode, 1);
            v.String(code, TfLiteFields.OperatorCode.CustomCode);
            v.Scalar(code, TfLiteFields.OperatorCode.Version, 4);
            v.Scalar(code, TfLiteFields.OperatorCode.BuiltinCode, 4);
        }

        foreach (VerifiedTable graph in v.Tables(model, TfLiteFields.Model.Subgraphs))
        {
            SubGraph(v, graph);
        }

        v.String(model, TfLiteFields.Model.Description);
        foreach (VerifiedTable buffer in v.Tables(model, TfLiteFields.Model.Buffers))
        {
            v.Vector(buffer, TfLiteFields.Buffer.Data, 1);
            v.Scalar(buffer, TfLiteFields.Buffer.Offset, 8);
            v.Scalar(buffer, TfLiteFields.Buffer.Size, 8);
        }
    }

    private static void SubGraph(FlatBufferVerifier v, VerifiedTable graph)
    {
        foreach (VerifiedTable tensor in v.Tables(graph, TfLiteFields.SubGraph.Tensors))
        {
            v.Vector(tensor, TfLiteFields.Tensor.Shape, 4);
            v.Scalar(tensor, TfLiteFields.Tensor.Type, 1);
            v.Scalar(tensor, TfLiteFields.Tensor.Buffer, 4);
            v.String(tensor, TfLiteFields.Tensor.Name);
            if (v.TableField(tensor, TfLiteFields.Tensor.Quantization) is { } q)
            {
                v.Vector(q, TfLiteFields.Quantization.Min, 4);
                v.Vector(q, TfLiteFields.Quantization.Max, 4);
                v.Vector(q, TfLiteFields.Quantization.Scale, 4);
                v.Vector(q, TfLiteFields.Quantization.ZeroPoint, 8);
                v.Union(q, TfLiteFields.Quantization.DetailsType, TfLiteFields.Quantization.Details);
                v.Scalar(q, TfLiteFields.Quantization.QuantizedDimension, 4);
            }
        }

        v.Vector(graph, TfLiteFields.SubGraph.Inputs, 4);
        v.Vector(graph, TfLiteFields.SubGraph.Outputs, 4);
        foreach (VerifiedTable op in v.Tables(graph, TfLiteFields.SubGraph.Operators))
        {
            v.Scalar(op, TfLiteFields.Operator.OpcodeIndex, 4);
            v.Vector(op, TfLiteFields.Operator.Inputs, 4);
            v.Vector(op, TfLiteFields.Operator.Outputs, 4);
            if (v.Union(op, TfLiteFields.Operator.BuiltinOptionsType, TfLiteFields.Operator.BuiltinOptions) is (byte type, VerifiedTable options))
            {
                Options(v, (BuiltinOptionsType)type, options);
            }
        }

        v.String(graph, TfLiteFields.SubGraph.Name);
    }

    /// <summary>The fields of the option tables the importer reads; other option tables are checked as tables only.</summary>
    private static void Options(FlatBufferVerifier v, BuiltinOptionsType type, VerifiedTable options)
    {
        int[] sizes = type switch
        {
            BuiltinOptionsType.Conv2D => [1, 4, 4, 1, 4, 4],
            BuiltinOptionsType.DepthwiseConv2D => [1, 4, 4, 4, 1, 4, 4],
            BuiltinOptionsType.Pool2D => [1, 4, 4, 4, 4, 1],
            BuiltinOptionsType.FullyConnected or BuiltinOptionsType.Add or BuiltinOptionsType.Mul or BuiltinOptionsType.Reducer => [1],
            BuiltinOptionsType.Softmax => [4],
            _ => [],
        };
        for (int field = 0; field < sizes.Length; field++)
        {
            v.Scalar(options, field, sizes[field]);
        }

        if (type is BuiltinOptionsType.Reshape or BuiltinOptionsType.Squeeze)
        {
            v.Vector(options, 0, 4);
        }
    }
}
