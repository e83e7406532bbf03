using EfficientNet.Sharp.Specs;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace EfficientNet.Sharp.Blocks;

/// <summary>
/// A bias-free convolution followed by batch normalisation and an optional activation: torchvision's
/// <c>Conv2dNormActivation</c>. Children are named <c>0</c> (convolution), <c>1</c> (BatchNorm) and
/// <c>2</c> (activation), so state_dict keys equal torchvision's (<c>0.weight</c>, <c>1.running_mean</c>, …).
/// Padding is symmetric, (k − 1) / 2 on every side.
/// </summary>
public sealed class ConvNormActivation : nn.Module<Tensor, Tensor>
{
    [ComponentName(Name = "0")]
    private readonly Conv2d conv;

    [ComponentName(Name = "1")]
    private readonly BatchNorm2d norm;

    [ComponentName(Name = "2")]
    private readonly nn.Module<Tensor, Tensor>? activation;

    /// <summary>Creates the layer.</summary>
    /// <param name="inChannels">Input channels (≥ 1).</param>
    /// <param name="outChannels">Output channels (≥ 1).</param>
    /// <param name="kernelSize">Square kernel size in pixels (positive, odd).</param>
    /// <param name="stride">Convolution stride (≥ 1).</param>
    /// <param name="groups">Convolution groups; equal to the channels for a depthwise convolution. Must divide both channel counts.</param>
    /// <param name="activation">Activation after the BatchNorm; <see cref="ActivationKind.Identity"/> for none.</param>
    /// <param name="batchNorm">BatchNorm settings; PyTorch's defaults when omitted.</param>
    /// <exception cref="ArgumentOutOfRangeException">An argument is outside the range given above.</exception>
    public ConvNormActivation(
        int inChannels,
        int outChannels,
        int kernelSize = 3,
        int stride = 1,
        int groups = 1,
        ActivationKind activation = ActivationKind.ReLU,
        BatchNormSpec? batchNorm = null)
        : base(nameof(ConvNormActivation))
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
        conv = nn.Conv2d(inChannels, outChannels, kernelSize, stride: stride, padding: (kernelSize - 1) / 2, groups: groups, bias: false);
        norm = nn.BatchNorm2d(outChannels, eps: bn.Epsilon, momentum: bn.Momentum);
        this.activation = Activations.Create(activation);
        Activation = activation;
        RegisterComponents();
    }

    /// <summary>The convolution (child <c>0</c>).</summary>
    public Conv2d Convolution => conv;

    /// <summary>The batch normalisation (child <c>1</c>).</summary>
    public BatchNorm2d Norm => norm;

    /// <summary>The activation after the normalisation.</summary>
    public ActivationKind Activation { get; }

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        // Each intermediate is freed as soon as the next op has run, so at most two feature maps of
        // this layer are alive at once, with or without an enclosing dispose scope.
        Tensor normalized;
        using (Tensor convolved = conv.call(input))
        {
            normalized = norm.call(convolved);
        }

        if (activation is null)
        {
            return normalized;
        }

        using (normalized)
        {
            return activation.call(normalized);
        }
    }
}
