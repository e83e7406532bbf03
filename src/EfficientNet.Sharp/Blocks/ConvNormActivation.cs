using EfficientNet.Sharp.Specs;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace EfficientNet.Sharp.Blocks;

/// <summary>
/// A bias-free convolution followed by batch normalisation and an optional activation: torchvision's
/// <c>Conv2dNormActivation</c>. Children are named <c>0</c> (convolution), <c>1</c> (BatchNorm) and
/// <c>2</c> (activation), so state_dict keys equal torchvision's (<c>0.weight</c>, <c>1.running_mean</c>, …).
/// Padding is symmetric, (k − 1) / 2 on every side, or TensorFlow's "SAME" (see <see cref="PaddingMode"/>).
/// </summary>
public sealed class ConvNormActivation : nn.Module<Tensor, Tensor>
{
    [ComponentName(Name = "0")]
    private readonly Conv2d conv;

    [ComponentName(Name = "1")]
    private readonly BatchNormLayer norm;

    [ComponentName(Name = "2")]
    private readonly nn.Module<Tensor, Tensor>? activation;

    private readonly bool padsPerInput;
    private bool folded;
    private readonly int kernel;
    private readonly int stride;

    /// <summary>Creates the layer.</summary>
    /// <param name="inChannels">Input channels (≥ 1).</param>
    /// <param name="outChannels">Output channels (≥ 1).</param>
    /// <param name="kernelSize">Square kernel size in pixels (positive, odd).</param>
    /// <param name="stride">Convolution stride (≥ 1).</param>
    /// <param name="groups">Convolution groups; equal to the channels for a depthwise convolution. Must divide both channel counts.</param>
    /// <param name="activation">Activation after the BatchNorm; <see cref="ActivationKind.Identity"/> for none.</param>
    /// <param name="batchNorm">BatchNorm settings; PyTorch's defaults when omitted.</param>
    /// <param name="padding">How the input is padded; only strided convolutions differ between the modes.</param>
    /// <exception cref="ArgumentOutOfRangeException">An argument is outside the range given above.</exception>
    public ConvNormActivation(
        int inChannels,
        int outChannels,
        int kernelSize = 3,
        int stride = 1,
        int groups = 1,
        ActivationKind activation = ActivationKind.ReLU,
        BatchNormSpec? batchNorm = null,
        PaddingMode padding = PaddingMode.Symmetric)
        : base(LibTorch.Require(nameof(ConvNormActivation)))
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inChannels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(outChannels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(stride);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(groups);
        if (kernelSize < 1 || kernelSize % 2 == 0)
        {
            throw new ArgumentOutOfRangeException(nameof(kernelSize), kernelSize, "The kernel size must be a positive odd number.");
        }

        if (inChannels % groups != 0 || outChannels % groups != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(groups), groups, $"The groups must divide both channel counts ({inChannels} in, {outChannels} out).");
        }

        BatchNormSpec bn = batchNorm ?? BatchNormSpec.PyTorchDefault;

        // With stride 1 and an odd kernel, "SAME" is exactly the symmetric padding the convolution does itself.
        padsPerInput = padding == PaddingMode.TensorFlowSame && stride > 1;
        kernel = kernelSize;
        this.stride = stride;
        conv = nn.Conv2d(inChannels, outChannels, kernelSize, stride: stride, padding: padsPerInput ? 0 : (kernelSize - 1) / 2, groups: groups, bias: false);
        norm = new BatchNormLayer(outChannels, bn.Epsilon, bn.Momentum);
        this.activation = Activations.Create(activation);
        Activation = activation;
        Padding = padding;
        RegisterComponents();
    }

    /// <summary>The convolution (child <c>0</c>).</summary>
    public Conv2d Convolution => conv;

    /// <summary>The BatchNorm after the convolution (skipped once folded).</summary>
    internal BatchNormLayer Norm => norm;

    /// <summary>Whether the BatchNorm has been folded into the convolution's weight and bias.</summary>
    internal bool IsFolded => folded;

    /// <summary>Whether the convolution pads each input itself (TensorFlow "SAME" with a stride above 1).</summary>
    internal bool PadsPerInput => padsPerInput;

    /// <summary>The activation after the normalisation.</summary>
    public ActivationKind Activation { get; }

    /// <summary>How the input is padded.</summary>
    public PaddingMode Padding { get; }

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        // Each intermediate is freed as soon as the next op has run, so at most two feature maps of
        // this layer are alive at once, with or without an enclosing dispose scope.
        Tensor convolved = padsPerInput ? ConvolveWithSamePadding(input) : conv.call(input);
        if (folded)
        {
            // BatchNorm lives in the convolution's weights and bias; the activation can overwrite the
            // convolution's output, which nothing else holds.
            return Activations.ApplyInPlace(Activation, convolved);
        }

        Tensor normalized;
        using (convolved)
        {
            normalized = norm.call(convolved);
        }

        if (activation is null)
        {
            return normalized;
        }

        // Without autograd the activation may overwrite the BatchNorm output (one allocation less per
        // layer, as torchvision's inplace activations do); with autograd it must keep its input.
        if (!is_grad_enabled())
        {
            return Activations.ApplyInPlace(Activation, normalized);
        }

        using (normalized)
        {
            return activation.call(normalized);
        }
    }

    /// <summary>
    /// Folds the BatchNorm into the convolution for inference: weight · γ / √(σ² + ε) and bias
    /// β − μ · γ / √(σ² + ε). Afterwards the layer skips the BatchNorm and applies its activation in
    /// place, so it must no longer be trained.
    /// </summary>
    internal void FoldBatchNorm()
    {
        if (folded)
        {
            return;
        }

        (conv.weight, conv.bias) = BatchNormFolding.Fold(conv, norm);
        folded = true;
    }

    /// <summary>
    /// TensorFlow's "SAME" for a strided convolution: pad so that the output has ⌈size / stride⌉ pixels,
    /// with the odd pixel at the bottom and right. The amount depends on the input size, so it is
    /// computed per call.
    /// </summary>
    private Tensor ConvolveWithSamePadding(Tensor input)
    {
        (long top, long bottom) = Specs.SamePadding.Split(input.shape[^2], kernel, stride);
        (long left, long right) = Specs.SamePadding.Split(input.shape[^1], kernel, stride);
        using Tensor padded = nn.functional.pad(input, [left, right, top, bottom]);
        return conv.call(padded);
    }
}
