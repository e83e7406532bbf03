using EfficientNet.Sharp.Specs;
using static TorchSharp.torch;

namespace EfficientNet.Sharp.Blocks;

/// <summary>Creates the activation module for an <see cref="ActivationKind"/>.</summary>
internal static class Activations
{
    /// <summary>The negative slope of <see cref="ActivationKind.LeakyReLU"/>.</summary>
    public const double LeakyReLUSlope = ActivationKinds.LeakyReLUSlope;

    /// <summary>Creates a new activation module, or returns <see langword="null"/> for <see cref="ActivationKind.Identity"/>.</summary>
    /// <param name="kind">The activation to create.</param>
    /// <returns>A parameter-free module, or <see langword="null"/> when the layer is linear.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="kind"/> is not a defined value.</exception>
    public static nn.Module<Tensor, Tensor>? Create(ActivationKind kind) => kind switch
    {
        ActivationKind.Identity => null,
        ActivationKind.ReLU => nn.ReLU(),
        ActivationKind.ReLU6 => nn.ReLU6(),
        ActivationKind.SiLU => nn.SiLU(),
        ActivationKind.Hardswish => nn.Hardswish(),
        ActivationKind.LeakyReLU => new LeakyReLU(),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown activation kind."),
    };

    /// <summary>Applies an activation to a tensor in place (inference only: autograd cannot differentiate through it).</summary>
    /// <param name="kind">The activation.</param>
    /// <param name="tensor">The tensor to overwrite.</param>
    /// <returns>The same tensor.</returns>
    internal static Tensor ApplyInPlace(ActivationKind kind, Tensor tensor) => kind switch
    {
        ActivationKind.Identity => tensor,
        ActivationKind.ReLU => tensor.relu_(),
        ActivationKind.ReLU6 => tensor.hardtanh_(Scalars.Zero, Scalars.Six),
        ActivationKind.SiLU => nn.functional.silu(tensor, inplace: true),
        ActivationKind.Hardswish => nn.functional.hardswish(tensor, inplace: true),
        ActivationKind.LeakyReLU => tensor.leaky_relu_(LeakyReLU.Slope),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown activation kind."),
    };
}
