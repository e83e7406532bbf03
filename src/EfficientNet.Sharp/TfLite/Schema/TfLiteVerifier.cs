using Google.FlatBuffers;

namespace EfficientNet.Sharp.TfLite.Schema;

/// <summary>
/// Checks, before anything is read, that every table, vector and string of the TFLite schema that the
/// importer follows lies inside the buffer with valid offsets, using the FlatBuffers library's verifier.
/// A truncated or corrupted file then fails here with one clear error instead of an index exception (or a
/// silent wrong read) deep inside the import.
/// </summary>
internal static class TfLiteVerifier
{
    private const bool Optional = false;

    public static bool IsValid(ByteBuffer buffer)
    {
        var verifier = new Verifier(buffer, new Options());
        return verifier.VerifyBuffer(TfLiteFields.FileIdentifier, false, Model);
    }

    private static short Field(int index) => FlatTable.VtableOffset(index);

    private static bool Model(Verifier v, uint table) =>
        v.VerifyTableStart(table)
        && v.VerifyField(table, Field(TfLiteFields.Model.Version), 4, 4, Optional)
        && v.VerifyVectorOfTables(table, Field(TfLiteFields.Model.OperatorCodes), OperatorCode, Optional)
        && v.VerifyVectorOfTables(table, Field(TfLiteFields.Model.Subgraphs), SubGraph, Optional)
        && v.VerifyString(table, Field(TfLiteFields.Model.Description), Optional)
        && v.VerifyVectorOfTables(table, Field(TfLiteFields.Model.Buffers), Buffer, Optional)
        && v.VerifyTableEnd(table);

    private static bool OperatorCode(Verifier v, uint table) =>
        v.VerifyTableStart(table)
        && v.VerifyField(table, Field(TfLiteFields.OperatorCode.DeprecatedBuiltinCode), 1, 1, Optional)
        && v.VerifyString(table, Field(TfLiteFields.OperatorCode.CustomCode), Optional)
        && v.VerifyField(table, Field(TfLiteFields.OperatorCode.Version), 4, 4, Optional)
        && v.VerifyField(table, Field(TfLiteFields.OperatorCode.BuiltinCode), 4, 4, Optional)
        && v.VerifyTableEnd(table);

    private static bool SubGraph(Verifier v, uint table) =>
        v.VerifyTableStart(table)
        && v.VerifyVectorOfTables(table, Field(TfLiteFields.SubGraph.Tensors), Tensor, Optional)
        && v.VerifyVectorOfData(table, Field(TfLiteFields.SubGraph.Inputs), 4, Optional)
        && v.VerifyVectorOfData(table, Field(TfLiteFields.SubGraph.Outputs), 4, Optional)
        && v.VerifyVectorOfTables(table, Field(TfLiteFields.SubGraph.Operators), Operator, Optional)
        && v.VerifyString(table, Field(TfLiteFields.SubGraph.Name), Optional)
        && v.VerifyTableEnd(table);

    private static bool Tensor(Verifier v, uint table) =>
        v.VerifyTableStart(table)
        && v.VerifyVectorOfData(table, Field(TfLiteFields.Tensor.Shape), 4, Optional)
        && v.VerifyField(table, Field(TfLiteFields.Tensor.Type), 1, 1, Optional)
        && v.VerifyField(table, Field(TfLiteFields.Tensor.Buffer), 4, 4, Optional)
        && v.VerifyString(table, Field(TfLiteFields.Tensor.Name), Optional)
        && v.VerifyTable(table, Field(TfLiteFields.Tensor.Quantization), Quantization, Optional)
        && v.VerifyTableEnd(table);

    private static bool Quantization(Verifier v, uint table) =>
        v.VerifyTableStart(table)
        && v.VerifyVectorOfData(table, Field(TfLiteFields.Quantization.Min), 4, Optional)
        && v.VerifyVectorOfData(table, Field(TfLiteFields.Quantization.Max), 4, Optional)
        && v.VerifyVectorOfData(table, Field(TfLiteFields.Quantization.Scale), 4, Optional)
        && v.VerifyVectorOfData(table, Field(TfLiteFields.Quantization.ZeroPoint), 8, Optional)
        && v.VerifyField(table, Field(TfLiteFields.Quantization.DetailsType), 1, 1, Optional)
        && v.VerifyUnion(table, Field(TfLiteFields.Quantization.DetailsType), Field(TfLiteFields.Quantization.Details), AnyTable, Optional)
        && v.VerifyField(table, Field(TfLiteFields.Quantization.QuantizedDimension), 4, 4, Optional)
        && v.VerifyTableEnd(table);

    private static bool Buffer(Verifier v, uint table) =>
        v.VerifyTableStart(table)
        && v.VerifyVectorOfData(table, Field(TfLiteFields.Buffer.Data), 1, Optional)
        && v.VerifyField(table, Field(TfLiteFields.Buffer.Offset), 8, 8, Optional)
        && v.VerifyField(table, Field(TfLiteFields.Buffer.Size), 8, 8, Optional)
        && v.VerifyTableEnd(table);

    private static bool Operator(Verifier v, uint table) =>
        v.VerifyTableStart(table)
        && v.VerifyField(table, Field(TfLiteFields.Operator.OpcodeIndex), 4, 4, Optional)
        && v.VerifyVectorOfData(table, Field(TfLiteFields.Operator.Inputs), 4, Optional)
        && v.VerifyVectorOfData(table, Field(TfLiteFields.Operator.Outputs), 4, Optional)
        && v.VerifyField(table, Field(TfLiteFields.Operator.BuiltinOptionsType), 1, 1, Optional)
        && v.VerifyUnion(table, Field(TfLiteFields.Operator.BuiltinOptionsType), Field(TfLiteFields.Operator.BuiltinOptions), Options, Optional)
        && v.VerifyTableEnd(table);

    /// <summary>Verifies the fields of the option tables the importer reads; other option tables only as tables.</summary>
    private static bool Options(Verifier v, byte type, uint table) => (BuiltinOptionsType)type switch
    {
        BuiltinOptionsType.Conv2D => Scalars(v, table, 1, 4, 4, 1, 4, 4),
        BuiltinOptionsType.DepthwiseConv2D => Scalars(v, table, 1, 4, 4, 4, 1, 4, 4),
        BuiltinOptionsType.Pool2D => Scalars(v, table, 1, 4, 4, 4, 4, 1),
        BuiltinOptionsType.FullyConnected or BuiltinOptionsType.Add or BuiltinOptionsType.Mul or BuiltinOptionsType.Reducer => Scalars(v, table, 1),
        BuiltinOptionsType.Softmax => Scalars(v, table, 4),
        BuiltinOptionsType.Reshape or BuiltinOptionsType.Squeeze =>
            v.VerifyTableStart(table) && v.VerifyVectorOfData(table, Field(0), 4, Optional) && v.VerifyTableEnd(table),
        _ => AnyTable(v, type, table),
    };

    /// <summary>A table whose leading fields are scalars of the given sizes (aligned to their size).</summary>
    private static bool Scalars(Verifier v, uint table, params int[] sizes)
    {
        if (!v.VerifyTableStart(table))
        {
            return false;
        }

        for (int i = 0; i < sizes.Length; i++)
        {
            if (!v.VerifyField(table, Field(i), (ulong)sizes[i], (ulong)sizes[i], Optional))
            {
                return false;
            }
        }

        return v.VerifyTableEnd(table);
    }

    private static bool AnyTable(Verifier v, byte type, uint table) => v.VerifyTableStart(table) && v.VerifyTableEnd(table);
}
