using System.Globalization;
using EfficientNet.Sharp.TfLite.Schema;
using Fields = EfficientNet.Sharp.TfLite.Schema.TfLiteFields;

namespace EfficientNet.Sharp.TfLite.Reading;

/// <summary>
/// The main subgraph of a TFLite model file, decoded into plain records: tensors (with views of their
/// constant data), operators in execution order, and the graph's inputs and outputs.
/// </summary>
internal sealed class TfLiteGraph
{
    private TfLiteGraph(IReadOnlyList<TfLiteTensor> tensors, IReadOnlyList<TfLiteOperator> operators, int[] inputs, int[] outputs)
    {
        Tensors = tensors;
        Operators = operators;
        Inputs = inputs;
        Outputs = outputs;
    }

    public IReadOnlyList<TfLiteTensor> Tensors { get; }

    public IReadOnlyList<TfLiteOperator> Operators { get; }

    public int[] Inputs { get; }

    public int[] Outputs { get; }

    /// <summary>Verifies and decodes a whole <c>.tflite</c> file held in memory.</summary>
    /// <exception cref="TfLiteImportException">The bytes are not a valid TFLite flatbuffer.</exception>
    public static TfLiteGraph Parse(byte[] bytes, string source)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        if (bytes.Length < 8)
        {
            throw new TfLiteImportException($"{source} is {bytes.Length} bytes long: too short for a TFLite model.");
        }

        if (!bytes.AsSpan(4, 4).SequenceEqual(System.Text.Encoding.ASCII.GetBytes(Fields.FileIdentifier)))
        {
            throw new TfLiteImportException($"{source} is not a TFLite model: it lacks the file identifier \"{Fields.FileIdentifier}\" at byte 4.");
        }

        try
        {
            TfLiteVerifier.Verify(bytes);
        }
        catch (InvalidDataException exception)
        {
            throw new TfLiteImportException($"{source} is a damaged TFLite model (truncated or corrupted): {exception.Message}.", exception);
        }

        FlatTable model = FlatTable.Root(bytes);
        if (model.VectorLength(Fields.Model.Subgraphs) == 0)
        {
            throw new TfLiteImportException($"{source} holds no subgraph.");
        }

        ArraySegment<byte>[] buffers = ReadBuffers(model, bytes, source);
        string[] operatorNames = ReadOperatorCodes(model, out int[] codes);
        FlatTable graph = model.TableAt(Fields.Model.Subgraphs, 0);

        int tensorCount = graph.VectorLength(Fields.SubGraph.Tensors);
        var tensors = new TfLiteTensor[tensorCount];
        for (int i = 0; i < tensorCount; i++)
        {
            tensors[i] = ReadTensor(graph.TableAt(Fields.SubGraph.Tensors, i), i, buffers, source);
        }

        int operatorCount = graph.VectorLength(Fields.SubGraph.Operators);
        var operators = new TfLiteOperator[operatorCount];
        for (int i = 0; i < operatorCount; i++)
        {
            FlatTable op = graph.TableAt(Fields.SubGraph.Operators, i);
            uint opcode = op.UInt(Fields.Operator.OpcodeIndex);
            if (opcode >= codes.Length)
            {
                throw new TfLiteImportException($"{source}: operator {i} refers to operator code {opcode}, but the model defines {codes.Length}.");
            }

            int[] inputs = CheckedIndices(op.Ints(Fields.Operator.Inputs), tensorCount, $"operator {i} ({operatorNames[opcode]}) input", source);
            int[] outputs = CheckedIndices(op.Ints(Fields.Operator.Outputs), tensorCount, $"operator {i} ({operatorNames[opcode]}) output", source);
            operators[i] = new TfLiteOperator(i, codes[opcode], operatorNames[opcode], inputs, outputs, ReadOptions(op));
        }

        int[] graphInputs = CheckedIndices(graph.Ints(Fields.SubGraph.Inputs), tensorCount, "subgraph input", source);
        int[] graphOutputs = CheckedIndices(graph.Ints(Fields.SubGraph.Outputs), tensorCount, "subgraph output", source);
        return new TfLiteGraph(tensors, operators, graphInputs, graphOutputs);
    }

    private static ArraySegment<byte>[] ReadBuffers(FlatTable model, byte[] bytes, string source)
    {
        int count = model.VectorLength(Fields.Model.Buffers);
        var buffers = new ArraySegment<byte>[count];
        for (int i = 0; i < count; i++)
        {
            FlatTable buffer = model.TableAt(Fields.Model.Buffers, i);
            ulong offset = buffer.ULong(Fields.Buffer.Offset);
            if (offset > 1)
            {
                // Data stored after the flatbuffer (files over 2 GB): offset and size count from the file's start.
                ulong size = buffer.ULong(Fields.Buffer.Size);
                if (offset + size > (ulong)bytes.Length || offset + size < offset)
                {
                    throw new TfLiteImportException($"{source}: buffer {i} lies at bytes {offset}…{offset + size}, past the end of the {bytes.Length}-byte file.");
                }

                buffers[i] = new ArraySegment<byte>(bytes, (int)offset, (int)size);
            }
            else
            {
                buffers[i] = buffer.Bytes(Fields.Buffer.Data);
            }
        }

        return buffers;
    }

    private static string[] ReadOperatorCodes(FlatTable model, out int[] codes)
    {
        int count = model.VectorLength(Fields.Model.OperatorCodes);
        codes = new int[count];
        var names = new string[count];
        for (int i = 0; i < count; i++)
        {
            FlatTable code = model.TableAt(Fields.Model.OperatorCodes, i);
            string? custom = code.String(Fields.OperatorCode.CustomCode);
            int builtin = Math.Max(code.SByte(Fields.OperatorCode.DeprecatedBuiltinCode), code.Int(Fields.OperatorCode.BuiltinCode));
            codes[i] = custom is null ? builtin : -1;
            names[i] = custom is null ? OperatorNames.Of(builtin) : $"custom operator '{custom}'";
        }

        return names;
    }

    private static TfLiteTensor ReadTensor(FlatTable tensor, int index, ArraySegment<byte>[] buffers, string source)
    {
        string name = tensor.String(Fields.Tensor.Name) ?? index.ToString(CultureInfo.InvariantCulture);
        uint buffer = tensor.UInt(Fields.Tensor.Buffer);
        if (buffer >= buffers.Length && buffer != 0)
        {
            throw new TfLiteImportException($"{source}: tensor {index} '{name}' refers to buffer {buffer}, but the model has {buffers.Length}.");
        }

        ArraySegment<byte> data = buffer < buffers.Length ? buffers[buffer] : ArraySegment<byte>.Empty;
        int[] shape = tensor.Ints(Fields.Tensor.Shape);
        var type = (TfLiteTensorType)tensor.SByte(Fields.Tensor.Type);
        CheckShape(shape, type, data.Count, $"tensor {index} '{name}'", source);
        TfLiteQuantization? quantization = null;
        if (tensor.Table(Fields.Tensor.Quantization) is { } q && q.VectorLength(Fields.Quantization.Scale) > 0)
        {
            long[] zeroPoints = q.Longs(Fields.Quantization.ZeroPoint);
            quantization = new TfLiteQuantization(
                q.Floats(Fields.Quantization.Scale),
                zeroPoints.Length > 0 ? zeroPoints : [0L],
                q.Int(Fields.Quantization.QuantizedDimension));
        }

        return new TfLiteTensor(index, name, shape, type, data, quantization);
    }

    /// <summary>
    /// A constant's shape must account for exactly the bytes stored for it, and no tensor may have a negative
    /// dimension or more elements than memory could hold: so no shape in the file, however corrupted, makes
    /// the importer allocate more than the file's own size implies.
    /// </summary>
    private static void CheckShape(int[] shape, TfLiteTensorType type, int storedBytes, string what, string source)
    {
        long elements = 1;
        foreach (int dimension in shape)
        {
            if (dimension < 0 || (dimension > 0 && elements > MaxElements / dimension))
            {
                throw new TfLiteImportException($"{source} is a damaged TFLite model: {what} has the shape [{string.Join(", ", shape)}].");
            }

            elements *= dimension;
        }

        if (storedBytes > 0 && ConstantTensors.ElementBytes(type) is int size && elements * size != storedBytes)
        {
            throw new TfLiteImportException($"{source} is a damaged TFLite model: {what} has the shape [{string.Join(", ", shape)}] of {type}, which needs {elements * size:N0} bytes, but {storedBytes:N0} are stored for it.");
        }
    }

    /// <summary>2³¹ elements: 8 GB of float32 in one tensor, far beyond any image classifier's.</summary>
    private const long MaxElements = 1L << 31;

    private static OperatorOptions ReadOptions(FlatTable op)
    {
        OperatorOptions defaults = OperatorOptions.Default;
        if (op.Table(Fields.Operator.BuiltinOptions) is not { } options)
        {
            return defaults;
        }

        return (BuiltinOptionsType)op.Byte(Fields.Operator.BuiltinOptionsType) switch
        {
            BuiltinOptionsType.Conv2D => defaults with
            {
                Padding = (TfLitePadding)options.SByte(Fields.Conv2DOptions.Padding),
                StrideWidth = options.Int(Fields.Conv2DOptions.StrideW),
                StrideHeight = options.Int(Fields.Conv2DOptions.StrideH),
                Activation = (FusedActivation)options.SByte(Fields.Conv2DOptions.FusedActivation),
                DilationWidth = options.Int(Fields.Conv2DOptions.DilationW, 1),
                DilationHeight = options.Int(Fields.Conv2DOptions.DilationH, 1),
            },
            BuiltinOptionsType.DepthwiseConv2D => defaults with
            {
                Padding = (TfLitePadding)options.SByte(Fields.DepthwiseConv2DOptions.Padding),
                StrideWidth = options.Int(Fields.DepthwiseConv2DOptions.StrideW),
                StrideHeight = options.Int(Fields.DepthwiseConv2DOptions.StrideH),
                Activation = (FusedActivation)options.SByte(Fields.DepthwiseConv2DOptions.FusedActivation),
                DilationWidth = options.Int(Fields.DepthwiseConv2DOptions.DilationW, 1),
                DilationHeight = options.Int(Fields.DepthwiseConv2DOptions.DilationH, 1),
            },
            BuiltinOptionsType.Pool2D => defaults with
            {
                Padding = (TfLitePadding)options.SByte(Fields.Pool2DOptions.Padding),
                StrideWidth = options.Int(Fields.Pool2DOptions.StrideW),
                StrideHeight = options.Int(Fields.Pool2DOptions.StrideH),
                FilterWidth = options.Int(Fields.Pool2DOptions.FilterWidth),
                FilterHeight = options.Int(Fields.Pool2DOptions.FilterHeight),
                Activation = (FusedActivation)options.SByte(Fields.Pool2DOptions.FusedActivation),
            },
            BuiltinOptionsType.FullyConnected or BuiltinOptionsType.Add or BuiltinOptionsType.Mul or BuiltinOptionsType.Sub or BuiltinOptionsType.Div => defaults with
            {
                Activation = (FusedActivation)options.SByte(Fields.FusedActivationOptions.FusedActivation),
            },
            BuiltinOptionsType.Softmax => defaults with { SoftmaxBeta = options.Float(Fields.SoftmaxOptions.Beta) },
            _ => defaults,
        };
    }

    private static int[] CheckedIndices(int[] indices, int tensorCount, string what, string source)
    {
        foreach (int index in indices)
        {
            if (index < -1 || index >= tensorCount)
            {
                throw new TfLiteImportException($"{source}: {what} refers to tensor {index}, but the subgraph has {tensorCount} tensors.");
            }
        }

        return indices;
    }
}
