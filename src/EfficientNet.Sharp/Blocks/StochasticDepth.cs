using TorchSharp;
using static TorchSharp.torch;

namespace EfficientNet.Sharp.Blocks;

/// <summary>
/// Stochastic depth (Huang et al., 2016) in torchvision's "row" mode: during training each sample's
/// residual branch is zeroed with probability <see cref="Probability"/> and the survivors are scaled
/// by 1 / (1 − p), so the expected output is unchanged; at inference it is the identity. It has no
/// parameters, so it adds no state_dict keys.
/// </summary>
public sealed class StochasticDepth : nn.Module<Tensor, Tensor>
{
    /// <summary>1 − p, by which surviving samples are scaled; null when every sample is dropped.</summary>
    private readonly Scalar? survival;

    /// <summary>Creates the layer.</summary>
    /// <param name="probability">Probability in [0, 1] of dropping a sample's branch.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="probability"/> is outside [0, 1] or NaN.</exception>
    public StochasticDepth(double probability)
        : base(LibTorch.Require(nameof(StochasticDepth)))
    {
        if (!(probability is >= 0 and <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(probability), probability, "The drop probability must be in [0, 1].");
        }

        Probability = probability;

        // The survivors' divisor, made once: a per-call Scalar would be a native allocation per block and step.
        survival = probability < 1 ? (1 - probability).ToScalar() : null;
        RegisterComponents();
    }

    /// <summary>Probability of dropping a sample's residual branch during training.</summary>
    public double Probability { get; }

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        if (!training || Probability == 0)
        {
            // A new handle, never the input itself: a Sequential disposes what its children return.
            return input.alias();
        }

        long[] perSampleShape = [input.shape[0], .. Enumerable.Repeat(1L, (int)input.ndim - 1)];
        using Tensor mask = torch.empty(perSampleShape, input.dtype, input.device).bernoulli_(1 - Probability);
        if (survival is not null)
        {
            mask.div_(survival);
        }

        return input * mask;
    }

    /// <summary>
    /// The residual connection of a block that has stochastic depth (MBConv, FusedMBConv): in training the branch is
    /// dropped per sample first, then the input is added to it in place. The block's branch output is consumed.
    /// </summary>
    /// <param name="branch">The residual branch's output, owned by the caller until now.</param>
    /// <param name="input">The block's input.</param>
    /// <returns>branch (or its dropped copy) + input.</returns>
    internal Tensor AddResidual(Tensor branch, Tensor input)
    {
        if (training && Probability > 0)
        {
            using Tensor kept = branch;
            branch = call(kept);
        }

        return branch.add_(input, Scalars.One);
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            survival?.Dispose();
        }

        base.Dispose(disposing);
    }
}
