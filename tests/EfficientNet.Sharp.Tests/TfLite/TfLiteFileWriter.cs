using Google.FlatBuffers;

namespace EfficientNet.Sharp.Tests.TfLite;

/// <summary>
/// Writes TFLite flatbuffers for tests with the FlatBuffers library's builder, following the TFLite schema
/// (tensorflow/lite/schema/schema.fbs) field by field. Independent of the importer's reading code: it
/// numbers fields itself and writes what TensorFlow's converter writes for these networks.
/// </summary>
internal sealed class TfLiteFileWriter
{
    // Element types and builtin operator codes of the schema.
    public const sbyte Float32 = 0;
    public const sbyte Float16 = 1;
    public const sbyte Int32 = 2;
    public const sbyte UInt8 = 3;
    public const sbyte Int8 = 9;

    public const int Add = 0;
    public const int AveragePool2D = 1;
    public const int Conv2D = 3;
    public const int DepthwiseConv2D = 4;
    public const int Dequantize = 6;
    public const int FullyConnected = 9;
    public const int Logistic = 14;
    public const int MaxPool2D = 17;
    public const int Relu = 19;
    public const int Relu6 = 21;
    public const int Reshape = 22;
    public const int Softmax = 25;
    public const int Pad = 34;
    public const int Mean = 40;
    public const int Sub = 41;
    public const int Div = 42;
    public const int Squeeze = 43;
    public const int Mul = 18;
    public const int Quantize = 114;
    public const int HardSwish = 117;

    // Members of the BuiltinOptions union.
    public const byte Conv2DOptions = 1;
    public const byte DepthwiseConv2DOptions = 2;
    public const byte Pool2DOptions = 5;
    public const byte FullyConnectedOptions = 8;
    public const byte SoftmaxOptions = 9;
    public const byte AddOptions = 11;
    public const byte MulOptions = 21;
    public const byte PadOptions = 22;
    public const byte ReducerOptions = 27;
    public const byte SubOptions = 28;
    public const byte DivOptions = 29;

    private readonly List<byte[]> buffers = [[]];
    private readonly List<TensorEntry> tensors = [];
    private readonly List<OperatorEntry> operators = [];
    private readonly List<int> operatorCodes = [];

    /// <summary>Adds an activation tensor (no data).</summary>
    public int Activation(int[] shape, string name, sbyte type = Float32, Quantization? quantization = null)
    {
        tensors.Add(new TensorEntry(shape, type, 0, name, quantization));
        return tensors.Count - 1;
    }

    /// <summary>Adds a constant tensor with raw little-endian data.</summary>
    public int Constant(int[] shape, sbyte type, byte[] data, string name, Quantization? quantization = null)
    {
        buffers.Add(data);
        tensors.Add(new TensorEntry(shape, type, buffers.Count - 1, name, quantization));
        return tensors.Count - 1;
    }

    public int Constant(int[] shape, float[] values, string name) =>
        Constant(shape, Float32, [.. values.SelectMany(BitConverter.GetBytes)], name);

    public int Constant(int[] shape, int[] values, string name, Quantization? quantization = null) =>
        Constant(shape, Int32, [.. values.SelectMany(BitConverter.GetBytes)], name, quantization);

    /// <summary>Adds an operator; <paramref name="options"/> are (field index, value) pairs of sbyte, int or float.</summary>
    public void Operator(int code, int[] inputs, int[] outputs, byte optionsType = 0, params (int Field, object Value)[] options)
    {
        if (!operatorCodes.Contains(code))
        {
            operatorCodes.Add(code);
        }

        operators.Add(new OperatorEntry(operatorCodes.IndexOf(code), inputs, outputs, optionsType, options));
    }

    /// <summary>The finished file.</summary>
    public byte[] Finish(int[] inputs, int[] outputs)
    {
        var builder = new FlatBufferBuilder(1 << 16);
        int[] bufferTables = [.. buffers.Select(data => WriteBuffer(builder, data))];
        int[] tensorTables = [.. tensors.Select(t => WriteTensor(builder, t))];
        int[] operatorTables = [.. operators.Select(op => WriteOperator(builder, op))];
        int[] codeTables = [.. operatorCodes.Select(code => WriteOperatorCode(builder, code))];

        VectorOffset tensorVector = Tables(builder, tensorTables);
        VectorOffset inputVector = Ints(builder, inputs);
        VectorOffset outputVector = Ints(builder, outputs);
        VectorOffset operatorVector = Tables(builder, operatorTables);
        StringOffset graphName = builder.CreateString("main");
        builder.StartTable(5);
        builder.AddOffset(0, tensorVector.Value, 0);
        builder.AddOffset(1, inputVector.Value, 0);
        builder.AddOffset(2, outputVector.Value, 0);
        builder.AddOffset(3, operatorVector.Value, 0);
        builder.AddOffset(4, graphName.Value, 0);
        int subgraph = builder.EndTable();

        VectorOffset codeVector = Tables(builder, codeTables);
        VectorOffset subgraphVector = Tables(builder, [subgraph]);
        StringOffset description = builder.CreateString("EfficientNet.Sharp test writer");
        VectorOffset bufferVector = Tables(builder, bufferTables);
        builder.StartTable(5);
        builder.AddUint(0, 3, 0);
        builder.AddOffset(1, codeVector.Value, 0);
        builder.AddOffset(2, subgraphVector.Value, 0);
        builder.AddOffset(3, description.Value, 0);
        builder.AddOffset(4, bufferVector.Value, 0);
        int model = builder.EndTable();
        builder.Finish(model, "TFL3");
        return builder.SizedByteArray();
    }

    private static int WriteBuffer(FlatBufferBuilder builder, byte[] data)
    {
        VectorOffset? vector = null;
        if (data.Length > 0)
        {
            builder.StartVector(1, data.Length, 16);
            builder.Add(data);
            vector = builder.EndVector();
        }

        builder.StartTable(1);
        if (vector is { } v)
        {
            builder.AddOffset(0, v.Value, 0);
        }

        return builder.EndTable();
    }

    private static int WriteTensor(FlatBufferBuilder builder, TensorEntry tensor)
    {
        VectorOffset shape = Ints(builder, tensor.Shape);
        StringOffset name = builder.CreateString(tensor.Name);
        int? quantization = tensor.Quantization is { } q ? WriteQuantization(builder, q) : null;
        builder.StartTable(5);
        builder.AddOffset(0, shape.Value, 0);
        builder.AddSbyte(1, tensor.Type, 0);
        builder.AddUint(2, (uint)tensor.Buffer, 0);
        builder.AddOffset(3, name.Value, 0);
        if (quantization is int offset)
        {
            builder.AddOffset(4, offset, 0);
        }

        return builder.EndTable();
    }

    private static int WriteQuantization(FlatBufferBuilder builder, Quantization q)
    {
        builder.StartVector(4, q.Scale.Length, 4);
        for (int i = q.Scale.Length - 1; i >= 0; i--)
        {
            builder.AddFloat(q.Scale[i]);
        }

        VectorOffset scale = builder.EndVector();
        builder.StartVector(8, q.ZeroPoint.Length, 8);
        for (int i = q.ZeroPoint.Length - 1; i >= 0; i--)
        {
            builder.AddLong(q.ZeroPoint[i]);
        }

        VectorOffset zeroPoint = builder.EndVector();
        builder.StartTable(7);
        builder.AddOffset(2, scale.Value, 0);
        builder.AddOffset(3, zeroPoint.Value, 0);
        builder.AddInt(6, q.Dimension, 0);
        return builder.EndTable();
    }

    private static int WriteOperator(FlatBufferBuilder builder, OperatorEntry op)
    {
        VectorOffset inputs = Ints(builder, op.Inputs);
        VectorOffset outputs = Ints(builder, op.Outputs);
        int? options = null;
        if (op.OptionsType != 0)
        {
            builder.StartTable(op.Options.Length == 0 ? 0 : op.Options.Max(o => o.Field) + 1);
            foreach ((int field, object value) in op.Options)
            {
                switch (value)
                {
                    case sbyte b:
                        builder.AddSbyte(field, b, 0);
                        break;
                    case int i:
                        builder.AddInt(field, i, 0);
                        break;
                    case float f:
                        builder.AddFloat(field, f, 0);
                        break;
                    case bool flag:
                        builder.AddBool(field, flag, false);
                        break;
                    default:
                        throw new ArgumentException($"Unsupported option value {value}.");
                }
            }

            options = builder.EndTable();
        }

        builder.StartTable(5);
        builder.AddUint(0, (uint)op.CodeIndex, 0);
        builder.AddOffset(1, inputs.Value, 0);
        builder.AddOffset(2, outputs.Value, 0);
        builder.AddByte(3, op.OptionsType, 0);
        if (options is int offset)
        {
            builder.AddOffset(4, offset, 0);
        }

        return builder.EndTable();
    }

    /// <summary>New-style operator code: the byte field capped at 127 (PLACEHOLDER_FOR_GREATER_OP_CODES) plus the int field.</summary>
    private static int WriteOperatorCode(FlatBufferBuilder builder, int code)
    {
        builder.StartTable(4);
        builder.AddSbyte(0, (sbyte)Math.Min(code, 127), 0);
        builder.AddInt(2, 1, 0);
        builder.AddInt(3, code, 0);
        return builder.EndTable();
    }

    private static VectorOffset Ints(FlatBufferBuilder builder, int[] values)
    {
        builder.StartVector(4, values.Length, 4);
        for (int i = values.Length - 1; i >= 0; i--)
        {
            builder.AddInt(values[i]);
        }

        return builder.EndVector();
    }

    private static VectorOffset Tables(FlatBufferBuilder builder, int[] tables)
    {
        builder.StartVector(4, tables.Length, 4);
        for (int i = tables.Length - 1; i >= 0; i--)
        {
            builder.AddOffset(tables[i]);
        }

        return builder.EndVector();
    }

    /// <summary>Affine quantization: real = scale · (q − zero point), per tensor or along <paramref name="Dimension"/>.</summary>
    internal sealed record Quantization(float[] Scale, long[] ZeroPoint, int Dimension = 0);

    private sealed record TensorEntry(int[] Shape, sbyte Type, int Buffer, string Name, Quantization? Quantization);

    private sealed record OperatorEntry(int CodeIndex, int[] Inputs, int[] Outputs, byte OptionsType, (int Field, object Value)[] Options);
}
