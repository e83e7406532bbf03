using EfficientNet.Sharp.Blocks;

namespace EfficientNet.Sharp.Onnx.Quantization;

/// <summary>
/// The names of the places in an inference graph where an activation can be quantized: the graph's input, each
/// convolution's or linear layer's output after its activation (named by the layer's module path), each residual
/// sum, and the pooled features. The graph writer and every plan use these names and no other.
/// </summary>
internal static class QuantizationPoints
{
    /// <summary>The image entering the stem.</summary>
    public const string Input = "input";

    /// <summary>The globally pooled features.</summary>
    public const string Pooled = "avgpool";

    /// <summary>The output of the layer at <paramref name="modulePath"/>, after its activation.</summary>
    public static string Layer(string modulePath) => modulePath;

    /// <summary>The output of the <c>ConvNormActivation</c> at <paramref name="modulePath"/>: its convolution's point, after the activation.</summary>
    public static string ConvNormActivation(string modulePath) => Layer($"{modulePath}.0");

    /// <summary>The output of one layer of the block at <paramref name="blockPath"/>.</summary>
    public static string BlockLayer(string blockPath, BlockLayer layer) => layer.Shape switch
    {
        LayerShape.ConvNormActivation => ConvNormActivation($"{blockPath}.{layer.Path}"),
        LayerShape.ConvThenNorm or LayerShape.SqueezeExcitation => Layer($"{blockPath}.{layer.Path}"),
        _ => throw new NotSupportedException($"No quantization point for layer shape {layer.Shape}."),
    };

    /// <summary>The sum of the block at <paramref name="blockPath"/> and its input.</summary>
    public static string Residual(string blockPath) => $"{blockPath}.add";
}
