using EfficientNet.Sharp.Specs;
using EfficientNet.Sharp.TfLite.Reading;
using static TorchSharp.torch;

namespace EfficientNet.Sharp.TfLite.Recognition;

/// <summary>
/// A CONV_2D or DEPTHWISE_CONV_2D of the file with BatchNorm already folded into its filter and bias, as
/// TensorFlow's converter writes every convolution of these networks.
/// </summary>
/// <param name="Operator">The operator it came from.</param>
/// <param name="Filter">[out, kh, kw, in] for a convolution, [1, kh, kw, channels] for a depthwise one.</param>
/// <param name="Bias">[out], or <see langword="null"/> when the operator has none.</param>
/// <param name="InChannels">Input channels.</param>
/// <param name="OutChannels">Output channels.</param>
/// <param name="KernelSize">Square kernel size.</param>
/// <param name="Stride">Stride in both directions.</param>
/// <param name="Depthwise">Whether each channel has its own filter (groups = channels).</param>
/// <param name="Activation">The activation fused into the operator (or the RELU/RELU6 operator after it).</param>
internal sealed record ImportedConv(
    TfLiteOperator Operator,
    TfLiteTensor Filter,
    TfLiteTensor? Bias,
    int InChannels,
    int OutChannels,
    int KernelSize,
    int Stride,
    bool Depthwise,
    ActivationKind Activation)
{
    /// <summary>The tensor the convolution's result is in after its activation (its own output, or the standalone activation's).</summary>
    public required int Output { get; init; }

    /// <summary>The filter in PyTorch's layout: [out, in / groups, kh, kw].</summary>
    public Tensor Weight()
    {
        float[] values = ConstantTensors.ToFloat(Filter);
        using Tensor stored = tensor(values, [.. Filter.Shape.Select(d => (long)d)]);

        // TFLite keeps filters channels-last: [out, kh, kw, in], and depthwise filters as [1, kh, kw, channels].
        using Tensor permuted = Depthwise ? stored.permute(3, 0, 1, 2) : stored.permute(0, 3, 1, 2);
        return permuted.contiguous();
    }

    /// <summary>The bias, zeros when the operator has none.</summary>
    public Tensor BiasOrZeros() =>
        Bias is null ? zeros(OutChannels) : tensor(ConstantTensors.ToFloat(Bias), [OutChannels]);
}
