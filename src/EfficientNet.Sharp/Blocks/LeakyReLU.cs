using TorchSharp;
using static TorchSharp.torch;

namespace EfficientNet.Sharp.Blocks;

/// <summary>
/// LeakyReLU with the slope of <see cref="Specs.ActivationKind.LeakyReLU"/>, held in one process-wide
/// <see cref="Scalar"/>: TorchSharp's own module converts its slope into a temporary Scalar on every call,
/// which may be finalized during the native call (see <see cref="Scalars"/>).
/// </summary>
internal sealed class LeakyReLU : nn.Module<Tensor, Tensor>
{
    /// <summary>The negative slope, <see cref="Activations.LeakyReLUSlope"/>.</summary>
    public static readonly Scalar Slope = Activations.LeakyReLUSlope.ToScalar();

    public LeakyReLU()
        : base(nameof(LeakyReLU))
    {
    }

    public override Tensor forward(Tensor input) => input.leaky_relu(Slope);
}
