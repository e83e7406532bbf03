using EfficientNet.Sharp.TfLite.Reading;
using EfficientNet.Sharp.TfLite.Schema;

namespace EfficientNet.Sharp.TfLite.Recognition;

/// <summary>
/// Walks a graph's operators in execution order, with QUANTIZE and DEQUANTIZE taken out: in a float
/// network they are identities, so their outputs are treated as their inputs (a DEQUANTIZE of float16
/// weights leads back to the float16 constant, a QUANTIZE of a float input back to that input).
/// </summary>
internal sealed class GraphCursor
{
    private const string Architectures = "a MobileNetV1, MobileNetV2 or EfficientNet-Lite graph";

    private readonly TfLiteGraph graph;
    private readonly List<TfLiteOperator> operators = [];
    private readonly Dictionary<int, int> aliases = [];
    private int next;

    public GraphCursor(TfLiteGraph graph)
    {
        this.graph = graph;
        foreach (TfLiteOperator op in graph.Operators)
        {
            if ((op.Is(BuiltinOperator.Quantize) || op.Is(BuiltinOperator.Dequantize)) && op.Inputs.Length == 1 && op.Outputs.Length == 1)
            {
                aliases[op.Outputs[0]] = Resolve(op.Inputs[0]);
            }
            else
            {
                operators.Add(op);
            }
        }
    }

    public bool AtEnd => next >= operators.Count;

    /// <summary>The tensor that a tensor index stands for once QUANTIZE and DEQUANTIZE are seen through.</summary>
    public int Resolve(int tensor) => aliases.TryGetValue(tensor, out int source) ? source : tensor;

    public TfLiteTensor Tensor(int index) => graph.Tensors[Resolve(index)];

    public TfLiteOperator? Peek(int ahead = 0) => next + ahead < operators.Count ? operators[next + ahead] : null;

    /// <summary>Whether <paramref name="op"/> is a <paramref name="code"/> whose first input is <paramref name="tensor"/>.</summary>
    public bool Consumes(TfLiteOperator? op, BuiltinOperator code, int tensor) =>
        op is not null && op.Is(code) && op.Inputs.Length > 0 && Resolve(op.Inputs[0]) == tensor;

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
        ? Mismatch(op, $"expected {expected}")
        : new TfLiteImportException($"The graph ends after operator {graph.Operators.Count - 1} where {Architectures} continues with {expected}.");

    /// <summary>The error for <paramref name="op"/> not fitting, with the reason.</summary>
    public static TfLiteImportException Mismatch(TfLiteOperator op, string reason) =>
        new($"Not {Architectures}: {op} does not fit; {reason}.", op.Index, op.Name);
}
