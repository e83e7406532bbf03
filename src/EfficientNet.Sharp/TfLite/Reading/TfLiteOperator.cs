using EfficientNet.Sharp.TfLite.Schema;

namespace EfficientNet.Sharp.TfLite.Reading;

/// <summary>One operator of a TFLite subgraph, in execution order.</summary>
/// <param name="Index">Position in the subgraph's operator list (what error messages name).</param>
/// <param name="Code">The builtin operator code; custom operators get −1.</param>
/// <param name="Name">The operator's schema name (CONV_2D, …) or the custom code.</param>
/// <param name="Inputs">Input tensor indices; −1 marks an omitted optional input (a convolution without bias).</param>
/// <param name="Outputs">Output tensor indices.</param>
/// <param name="Options">The builtin options the importer reads (defaults when the operator has none).</param>
internal sealed record TfLiteOperator(int Index, int Code, string Name, int[] Inputs, int[] Outputs, OperatorOptions Options)
{
    public bool Is(BuiltinOperator code) => Code == (int)code;

    public override string ToString() => $"operator {Index} ({Name})";
}

/// <summary>The union of the option fields read from convolution, pooling, reduction and softmax operators.</summary>
internal sealed record OperatorOptions(
    TfLitePadding Padding,
    int StrideHeight,
    int StrideWidth,
    int DilationHeight,
    int DilationWidth,
    int FilterHeight,
    int FilterWidth,
    FusedActivation Activation,
    float SoftmaxBeta)
{
    public static OperatorOptions Default { get; } = new(TfLitePadding.Same, 1, 1, 1, 1, 0, 0, FusedActivation.None, 1f);
}
