using EfficientNet.Sharp.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace EfficientNet.Sharp.Training;

/// <summary>
/// An exponential moving average of a network's weights and BatchNorm statistics (timm's <c>ModelEmaV2</c>),
/// held in a second network of the same architecture that validation and checkpoints use.
/// </summary>
internal sealed class WeightAverage : IDisposable
{
    private readonly double decay;
    private readonly (Tensor Average, Tensor Live)[] pairs;

    public WeightAverage(ConvNetwork live, double decay)
    {
        this.decay = decay;
        Network = new ConvNetwork(live.Spec);
        Network.load_state_dict(live.state_dict());
        Network.eval();
        Dictionary<string, Tensor> averages = Network.state_dict();
        pairs = live.state_dict().Select(pair => (averages[pair.Key], pair.Value)).ToArray();
    }

    /// <summary>The averaged network (eval mode).</summary>
    public ConvNetwork Network { get; }

    /// <summary>Updates taken, for the early-decay ramp.</summary>
    public long Updates { get; set; }

    /// <summary>average ← d·average + (1 − d)·live for floating-point entries; counters are copied.</summary>
    public void Update()
    {
        double d = Math.Min(decay, (1.0 + Updates) / (10.0 + Updates));
        using var noGrad = torch.no_grad();
        using Scalar keep = d.ToScalar();
        using Scalar take = (1 - d).ToScalar();
        foreach ((Tensor average, Tensor live) in pairs)
        {
            if (average.is_floating_point())
            {
                average.mul_(keep).add_(live, take);
            }
            else
            {
                average.copy_(live);
            }
        }

        Updates++;
    }

    public void Dispose() => Network.Dispose();
}
