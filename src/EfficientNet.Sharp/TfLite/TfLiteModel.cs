using EfficientNet.Sharp.Inference;
using EfficientNet.Sharp.Models;
using EfficientNet.Sharp.Specs;
using EfficientNet.Sharp.TfLite.Quantized;

namespace EfficientNet.Sharp.TfLite;

/// <summary>
/// A TFLite model imported as one of our networks: the network with the file's (dequantized) weights, the
/// spec that was recognised, and the preprocessing the file expects.
/// </summary>
public sealed class TfLiteModel : IDisposable
{
    internal TfLiteModel(ConvNetwork network, EvalTransform transform, TfLiteInputQuantization? inputQuantization, TfLiteInputNormalization? inputNormalization, string weightFormat, string source, TfLiteQuantizationPlan? int8Plan, string whyNotInt8)
    {
        Int8Plan = int8Plan;
        WhyNotInt8 = whyNotInt8;
        InputNormalization = inputNormalization;
        Network = network;
        Transform = transform;
        InputQuantization = inputQuantization;
        WeightFormat = weightFormat;
        Source = source;
    }

    /// <summary>The network, in eval mode, with the file's weights. Disposed with this object.</summary>
    public ConvNetwork Network { get; }

    /// <summary>The recognised architecture: our builder's spec for it when one matches (e.g. <c>mobilenet_v1_0.25_128</c>).</summary>
    public NetworkSpec Spec => Network.Spec;

    /// <summary>
    /// The preprocessing the file expects: the whole image resized to the input size (TFLite's bilinear,
    /// half-pixel centres), truncated to bytes, and normalised so that the network sees the real values the
    /// file's input quantization stands for.
    /// </summary>
    public EvalTransform Transform { get; }

    /// <summary>The file's input quantization, or <see langword="null"/> for a float input.</summary>
    public TfLiteInputQuantization? InputQuantization { get; }

    /// <summary>
    /// The normalisation the graph applies to its input before the stem (Model Maker and Keras exports), or
    /// <see langword="null"/> when the stem reads the input directly. It is folded into <see cref="Transform"/>.
    /// </summary>
    public TfLiteInputNormalization? InputNormalization { get; }

    /// <summary>How the file stored its convolution weights, e.g. "uint8, per-tensor scales" or "float32".</summary>
    public string WeightFormat { get; }

    /// <summary>Where the model came from (the file name).</summary>
    public string Source { get; }

    /// <summary>
    /// Whether the file computes in 8 bits throughout — 8-bit activations, 8-bit weights — so that it can be exported
    /// as an int8 ONNX file that keeps its own scales (<c>ExportInt8Onnx</c>).
    /// </summary>
    public bool IsFullyQuantized => Int8Plan is not null;

    /// <summary>The file's 8-bit parameters on our graph, or <see langword="null"/> (see <see cref="WhyNotInt8"/>).</summary>
    internal TfLiteQuantizationPlan? Int8Plan { get; }

    /// <summary>Why the file is not fully quantized; empty when it is.</summary>
    internal string WhyNotInt8 { get; }

    /// <summary>Disposes the network.</summary>
    public void Dispose() => Network.Dispose();
}
