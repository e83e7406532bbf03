using EfficientNet.Sharp.Specs;
using static TorchSharp.torch;

namespace EfficientNet.Sharp.Blocks;

/// <summary>
/// MobileNetV1's depthwise-separable convolution: a k×k depthwise convolution + BN + activation
/// (children <c>depthwise.0/1</c>), then a 1×1 pointwise convolution + BN + activation
/// (<c>pointwise.0/1</c>). It has no residual connection. The paper uses ReLU; TensorFlow's
/// released checkpoints use ReLU6.
/// </summary>
public sealed class DepthwiseSeparableConv : nn.Module<Tensor, Tensor>
{
    private readonly ConvNormActivation depthwise;
    private readonly ConvNormActivation pointwise;

    /// <summary>Creates the block.</summary>
    /// <param name="inChannels">Input channels (≥ 1).</param>
    /// <param name="outChannels">Output channels (≥ 1).</param>
    /// <param name="stride">Stride of the depthwise convolution (≥ 1).</param>
    /// <param name="kernelSize">Depthwise kernel size in pixels (positive, odd).</param>
    /// <param name="activation">Activation after both normalisations.</param>
    /// <param name="batchNorm">BatchNorm settings; PyTorch's defaults when omitted.</param>
    /// <param name="padding">How the strided depthwise convolution pads its input.</param>
    /// <exception cref="ArgumentOutOfRangeException">An argument is outside the range given above.</exception>
    public DepthwiseSeparableConv(
        int inChannels,
        int outChannels,
        int stride = 1,
        int kernelSize = 3,
        ActivationKind activation = ActivationKind.ReLU,
        BatchNormSpec? batchNorm = null,
        PaddingMode padding = PaddingMode.Symmetric)
        : base(LibTorch.Require(nameof(DepthwiseSeparableConv)))
    {
        depthwise = new ConvNormActivation(inChannels, inChannels, kernelSize, stride, groups: inChannels, activation, batchNorm, padding);
        pointwise = new ConvNormActivation(inChannels, outChannels, 1, activation: activation, batchNorm: batchNorm);
        RegisterComponents();
    }

    /// <summary>The k×k depthwise layer.</summary>
    internal ConvNormActivation Depthwise => depthwise;

    /// <summary>The 1×1 pointwise layer.</summary>
    internal ConvNormActivation Pointwise => pointwise;

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        using Tensor spatial = depthwise.call(input);
        return pointwise.call(spatial);
    }
}
