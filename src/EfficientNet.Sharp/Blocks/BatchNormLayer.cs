using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace EfficientNet.Sharp.Blocks;

/// <summary>
/// BatchNorm over the channels of N × C × H × W feature maps, with PyTorch's <c>BatchNorm2d</c> state
/// (<c>weight</c>, <c>bias</c>, <c>running_mean</c>, <c>running_var</c>, <c>num_batches_tracked</c>) and
/// behaviour (batch statistics and a running average with the given momentum while training, the running
/// statistics in eval mode).
/// </summary>
/// <remarks>
/// TorchSharp's own <c>BatchNorm2d</c> counts batches with <c>num_batches_tracked.add_(1)</c>, whose two
/// implicit Scalars can be finalized during the native call (see <see cref="Scalars"/>); this one counts
/// with process-wide Scalars and is otherwise the same native <c>batch_norm</c>.
/// </remarks>
internal sealed class BatchNormLayer : nn.Module<Tensor, Tensor>
{
#pragma warning disable IDE1006 // PyTorch's names: they are the state_dict keys.
    private readonly Parameter weight;
    private readonly Parameter bias;
    private readonly Tensor running_mean;
    private readonly Tensor running_var;
    private readonly Tensor num_batches_tracked;
#pragma warning restore IDE1006

    public BatchNormLayer(long channels, double epsilon, double momentum)
        : base(nameof(BatchNormLayer))
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(channels);
        Epsilon = epsilon;
        Momentum = momentum;
        weight = new Parameter(torch.ones(channels));
        bias = new Parameter(torch.zeros(channels));
        running_mean = torch.zeros(channels);
        running_var = torch.ones(channels);
        num_batches_tracked = torch.tensor(0L);
        RegisterComponents();
    }

    /// <summary>ε added to the variance.</summary>
    public double Epsilon { get; }

    /// <summary>Weight of the newest batch in the running statistics.</summary>
    public double Momentum { get; }

    /// <summary>γ, one per channel.</summary>
    public Parameter Weight => weight;

    /// <summary>β, one per channel.</summary>
    public Parameter Bias => bias;

    /// <summary>The running mean used in eval mode.</summary>
    public Tensor RunningMean => running_mean;

    /// <summary>The running variance used in eval mode.</summary>
    public Tensor RunningVariance => running_var;

    public override Tensor forward(Tensor input)
    {
        if (input.ndim != 4)
        {
            throw new ArgumentException($"BatchNorm expects N × C × H × W input, got [{string.Join(", ", input.shape)}].", nameof(input));
        }

        if (training)
        {
            using var noGrad = torch.no_grad();
            num_batches_tracked.add_(Scalars.One, Scalars.One);
        }

        return nn.functional.batch_norm(input, running_mean, running_var, weight, bias, training, Momentum, Epsilon);
    }
}
