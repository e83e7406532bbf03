using TorchSharp;
using static TorchSharp.torch;

namespace EfficientNet.Sharp.Training;

/// <summary>PyTorch's <c>SGD</c> with momentum (dampening 0), optional Nesterov, and L2 weight decay added to the gradient.</summary>
internal sealed class SgdRule(TrainableParameter[] parameters, double weightDecay, double momentum, bool nesterov) : UpdateRule(parameters, weightDecay)
{
    private const string BufferName = "momentum";

    private Dictionary<string, Tensor> buffers = [];

    public override void Step(double learningRate)
    {
        using var noGrad = torch.no_grad();
        using Scalar decay = WeightDecay.ToScalar();
        using Scalar momentumFactor = momentum.ToScalar();
        using Scalar step = (-learningRate).ToScalar();
        foreach (TrainableParameter p in Parameters)
        {
            Tensor? grad = p.Parameter.grad;
            if (grad is null || !p.Parameter.requires_grad)
            {
                continue;
            }

            if (p.Decays && WeightDecay != 0)
            {
                grad.add_(p.Parameter, decay);
            }

            Tensor direction = grad;
            if (momentum != 0)
            {
                if (!buffers.TryGetValue(p.Name, out Tensor? buffer))
                {
                    buffers[p.Name] = buffer = grad.detach().clone().DetachFromDisposeScope();
                }
                else
                {
                    buffer.mul_(momentumFactor).add_(grad, Scalars.One);
                }

                if (nesterov)
                {
                    grad.add_(buffer, momentumFactor);
                }
                else
                {
                    direction = buffer;
                }
            }

            p.Parameter.add_(direction, step);
        }

        Steps++;
    }

    public override IEnumerable<KeyValuePair<string, Tensor>> State() =>
        buffers.Select(pair => KeyValuePair.Create(pair.Key + "/" + BufferName, pair.Value.clone()));

    public override void Load(IReadOnlyDictionary<string, Tensor> state, long steps)
    {
        Dictionary<string, Tensor> loaded = LoadBuffers(Parameters, state, BufferName);
        Dispose();
        buffers = loaded;
        Steps = steps;
    }

    public override void Dispose()
    {
        foreach (Tensor buffer in buffers.Values)
        {
            buffer.Dispose();
        }

        buffers.Clear();
    }
}
