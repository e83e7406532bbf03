using EfficientNet.Sharp.TfLite.Reading;
using EfficientNet.Sharp.TfLite.Schema;

namespace EfficientNet.Sharp.TfLite.Recognition;

/// <summary>
/// Walks a graph's operators in execution order, with QUANTIZE and DEQUANTIZE taken out: in a float
/// network they are identities, so their outputs are treated as their inputs (a DEQUANTIZE of float16
/// weights leads back to the float16 constant, a QUANTIZE of a float input back to that input). A PAD
/// right before a VALID convolution is taken out too when together they compute the convolution with
/// TensorFlow's SAME padding (Keras' <c>ZeroPadding2D</c> before a strided convolution): the convolution
/// then reads the unpadded tensor and counts as SAME.
/// </summary>
internal sealed class GraphCursor
{
    private const string Architectures = "a MobileNetV1, MobileNetV2, MobileNetV3, EfficientNet or EfficientNet-Lite graph";

    private readonly TfLiteGraph graph;
    private readonly List<TfLiteOperator> operators = [];
    private readonly Dictionary<int, int> aliases = [];
    private readonly HashSet<int> paddedToSame = [];
    private int next;

    public GraphCursor(TfLiteGraph graph)
    {
        this.graph = graph;
        var kept = new List<TfLiteOperator>();
        foreach (TfLiteOperator op in graph.Operators)
        {
            if ((op.Is(BuiltinOperator.Quantize) || op.Is(BuiltinOperator.Dequantize)) && op.Inputs.Length == 1 && op.Outputs.Length == 1)
            {
                aliases[op.Outputs[0]] = Resolve(op.Inputs[0]);
            }
            else
            {
                kept.Add(op);
            }
        }

        for (int i = 0; i < kept.Count; i++)
        {
            if (i + 1 < kept.Count && PadsAsSame(kept[i], kept[i + 1]))
            {
                aliases[kept[i].Outputs[0]] = Resolve(kept[i].Inputs[0]);
                paddedToSame.Add(kept[i + 1].Index);
            }
            else
            {
                operators.Add(kept[i]);
            }
        }
    }

    public bool AtEnd => next >= operators.Count;

    /// <summary>The tensor that a tensor index stands for once QUANTIZE, DEQUANTIZE and folded PADs are seen through.</summary>
    public int Resolve(int tensor)
    {
        while (aliases.TryGetValue(tensor, out int source))
        {
            tensor = source;
        }

        return tensor;
    }

    /// <summary>Whether <paramref name="convolution"/> had a PAD before it that makes its VALID padding TensorFlow's SAME.</summary>
    public bool IsPaddedToSame(TfLiteOperator convolution) => paddedToSame.Contains(convolution.Index);

    public TfLiteTensor Tensor(int index) => graph.Tensors[Resolve(index)];

    public TfLiteOperator? Peek(int ahead = 0) => next + ahead < operators.Count ? operators[next + ahead] : null;

    /// <summary>Whether <paramref name="op"/> is a <paramref name="code"/> whose first input is <paramref name="tensor"/>.</summary>
    public bool Consumes(TfLiteOperator? op, BuiltinOperator code, int tensor) =>
        op is not null && op.Is(code) && op.Inputs.Length > 0 && Resolve(op.Inputs[0]) == tensor;

    /// <summary>
    /// The constant that the binary operator <paramref name="op"/> combines <paramref name="tensor"/> with, or
    /// <see langword="null"/> when it does not read <paramref name="tensor"/> and one constant. With
    /// <paramref name="tensorFirst"/> (SUB, DIV: x − c, x / c) the tensor must be the first input.
    /// </summary>
    public TfLiteTensor? ConstantOperand(TfLiteOperator op, int tensor, bool tensorFirst = false)
    {
        if (op.Inputs.Length != 2 || op.Outputs.Length != 1)
        {
            return null;
        }

        for (int i = 0; i < 2; i++)
        {
            if (Resolve(op.Inputs[i]) == tensor && Tensor(op.Inputs[1 - i]) is { IsConstant: true } constant && (!tensorFirst || i == 0))
            {
                return constant;
            }
        }

        return null;
    }

    /// <summary>Whether <paramref name="op"/> is a MUL of exactly the tensors <paramref name="a"/> and <paramref name="b"/>, in either order, with no fused activation.</summary>
    public bool Multiplies(TfLiteOperator? op, int a, int b) =>
        op is not null && op.Is(BuiltinOperator.Mul) && op.Inputs.Length == 2 && op.Options.Activation == FusedActivation.None
        && op.Inputs.Select(Resolve).Order().SequenceEqual(new[] { a, b }.Order());

    /// <summary>Takes the next operator, which must be a <paramref name="code"/> reading <paramref name="tensor"/>.</summary>
    public TfLiteOperator Expect(BuiltinOperator code, int tensor, string role)
    {
        if (!Consumes(Peek(), code, tensor))
        {
            throw Mismatch($"{OperatorNames.Of(code)} ({role}) reading tensor {tensor}");
        }

        return operators[next++];
    }

    public TfLiteOperator Take() => operators[next++];

    /// <summary>The error for the operator at the cursor (or the graph's end) not being <paramref name="expected"/>.</summary>
    public TfLiteImportException Mismatch(string expected) => Peek() is { } op
        ? Mismatch(op, op.Is(BuiltinOperator.Pad)
            ? $"expected {expected} (a PAD is only read right before a VALID convolution, padding exactly as TensorFlow's SAME would)"
            : $"expected {expected}")
        : new TfLiteImportException($"The graph ends after operator {graph.Operators.Count - 1} where {Architectures} continues with {expected}.");

    /// <summary>
    /// Whether <paramref name="pad"/> zero-pads height and width by exactly what SAME padding would for the
    /// VALID convolution <paramref name="convolution"/> that reads its output: for an input of size n, kernel k
    /// and stride s, max((⌈n/s⌉ − 1)·s + k − n, 0) in all, the smaller half before.
    /// </summary>
    private bool PadsAsSame(TfLiteOperator pad, TfLiteOperator convolution)
    {
        if (!pad.Is(BuiltinOperator.Pad) || pad.Inputs.Length != 2 || pad.Outputs.Length != 1
            || !(convolution.Is(BuiltinOperator.Conv2D) || convolution.Is(BuiltinOperator.DepthwiseConv2D))
            || convolution.Inputs.Length < 2 || Resolve(convolution.Inputs[0]) != Resolve(pad.Outputs[0])
            || convolution.Options.Padding != TfLitePadding.Valid)
        {
            return false;
        }

        TfLiteTensor input = Tensor(pad.Inputs[0]);
        TfLiteTensor paddings = Tensor(pad.Inputs[1]);
        TfLiteTensor filter = Tensor(convolution.Inputs[1]);
        if (!paddings.IsConstant || paddings.Shape is not [4, 2] || input.Shape is not [_, int height, int width, _] || filter.Shape is not [_, int kh, int kw, _])
        {
            return false;
        }

        long[] amounts = ConstantTensors.ToIntegers(paddings);
        (long top, long bottom) = Specs.SamePadding.Split(height, kh, convolution.Options.StrideHeight);
        (long left, long right) = Specs.SamePadding.Split(width, kw, convolution.Options.StrideWidth);
        return amounts.SequenceEqual([0L, 0L, top, bottom, left, right, 0L, 0L]);
    }

    /// <summary>The error for <paramref name="op"/> not fitting, with the reason.</summary>
    public static TfLiteImportException Mismatch(TfLiteOperator op, string reason) =>
        new($"Not {Architectures}: {op} does not fit; {reason}.", op.Index, op.Name);
}
