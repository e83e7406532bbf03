using EfficientNet.Sharp.Specs;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace EfficientNet.Sharp.Blocks;

/// <summary>
/// Squeeze-and-excitation (Hu et al., 2018) as EfficientNet uses it: global average pool, 1×1
/// convolution to the squeeze channels, activation, 1×1 convolution back, sigmoid, and a
/// channel-wise rescaling of the input. MobileNetV3's variant gates with a hard sigmoid instead.
/// Children <c>fc1</c> and <c>fc2</c> (with biases) give torchvision's state_dict keys.
/// </summary>
public sealed class SqueezeExcitation : nn.Module<Tensor, Tensor>
{
    private readonly Conv2d fc1;
    private readonly Conv2d fc2;
    private readonly nn.Module<Tensor, Tensor>? activation;

    /// <summary>Creates the layer.</summary>
    /// <param name="inputChannels">Channels of the feature map to rescale (≥ 1).</param>
    /// <param name="squeezeChannels">Bottleneck channels (≥ 1); EfficientNet uses max(1, block input channels / 4).</param>
    /// <param name="activation">Activation between the two convolutions (SiLU in EfficientNet).</param>
    /// <exception cref="ArgumentOutOfRangeException">A channel count is not positive.</exception>
    public SqueezeExcitation(int inputChannels, int squeezeChannels, ActivationKind activation = ActivationKind.SiLU)
        : this(inputChannels, squeezeChannels, activation, hardSigmoidGate: false)
    {
    }

    /// <summary>Creates the layer with the gate chosen: σ(x) (EfficientNet) or relu6(x + 3) / 6 (MobileNetV3).</summary>
    internal SqueezeExcitation(int inputChannels, int squeezeChannels, ActivationKind activation, bool hardSigmoidGate)
        : base(LibTorch.Require(nameof(SqueezeExcitation)))
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inputChannels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(squeezeChannels);
        fc1 = nn.Conv2d(inputChannels, squeezeChannels, 1);
        fc2 = nn.Conv2d(squeezeChannels, inputChannels, 1);
        this.activation = Activations.Create(activation);
        Activation = activation;
        HardSigmoidGate = hardSigmoidGate;
        RegisterComponents();
    }

    /// <summary>Whether the gate is the hard sigmoid (MobileNetV3) rather than the sigmoid.</summary>
    internal bool HardSigmoidGate { get; }

    /// <summary>The activation between the two 1×1 convolutions.</summary>
    internal ActivationKind Activation { get; }

    /// <summary>The squeezing 1×1 convolution (with bias).</summary>
    internal Conv2d Squeeze => fc1;

    /// <summary>The expanding 1×1 convolution (with bias), before the sigmoid gate.</summary>
    internal Conv2d Expand => fc2;

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        using Tensor pooled = input.mean([2L, 3L], keepdim: true);
        using Tensor squeezed = fc1.call(pooled);
        using Tensor activated = activation is null ? squeezed.alias() : activation.call(squeezed);
        using Tensor excited = fc2.call(activated);
        using Tensor scale = HardSigmoidGate ? excited.hardsigmoid() : excited.sigmoid();
        return input * scale;
    }
}
