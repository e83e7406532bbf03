using TorchSharp;
using static TorchSharp.torch;

namespace EfficientNet.Sharp.Training;

/// <summary>PyTorch's <c>AdamW</c>: decoupled weight decay, β₁ = 0.9, β₂ = 0.999, ε = 1e-8, bias-corrected moments.</summary>
internal sealed class AdamWRule(TrainableParameter[] parameters, double weightDecay) : UpdateRule(parameters, weightDecay)
{
    private const double Beta1 = 0.9;
    private const double Beta2 = 0.999;
    private const double Epsilon = 1e-8;
    private const string FirstName = "exp_avg";
    private const string SecondName = "exp_avg_sq";
    private const string StepName = "step";

    private Dictionary<string, Tensor> first = [];
    private Dictionary<string, Tensor> second = [];
    private Dictionary<string, long> updates = [];

    public override void Step(double learningRate)
    {
        using var noGrad = torch.no_grad();
        using Scalar shrink = (1 - (learningRate * WeightDecay)).ToScalar();
        using Scalar beta1 = Beta1.ToScalar();
        using Scalar oneMinusBeta1 = (1 - Beta1).ToScalar();
        using Scalar beta2 = Beta2.ToScalar();
        using Scalar oneMinusBeta2 = (1 - Beta2).ToScalar();
        using Scalar epsilon = Epsilon.ToScalar();
        foreach (TrainableParameter p in Parameters)
        {
            Tensor? grad = p.Parameter.grad;
            if (grad is null || !p.Parameter.requires_grad)
            {
                continue;
            }

            if (p.Decays && WeightDecay != 0)
            {
                p.Parameter.mul_(shrink);
            }

            // Each parameter counts its own updates, as PyTorch's state["step"]: one unfrozen late starts its bias correction afresh.
            long t = updates[p.Name] = updates.GetValueOrDefault(p.Name) + 1;
            using Scalar secondScale = (1 / Math.Sqrt(1 - Math.Pow(Beta2, t))).ToScalar();
            using Scalar step = (-learningRate / (1 - Math.Pow(Beta1, t))).ToScalar();
            Tensor m = Buffer(first, p);
            Tensor v = Buffer(second, p);
            m.mul_(beta1).add_(grad, oneMinusBeta1);
            v.mul_(beta2).addcmul_(grad, grad, oneMinusBeta2);
            using Tensor denominator = v.sqrt().mul_(secondScale).add_(epsilon, Scalars.One);
            p.Parameter.addcdiv_(m, denominator, step);
        }

        Steps++;
    }

    public override IEnumerable<KeyValuePair<string, Tensor>> State() =>
        first.Select(pair => KeyValuePair.Create(pair.Key + "/" + FirstName, pair.Value.clone()))
            .Concat(second.Select(pair => KeyValuePair.Create(pair.Key + "/" + SecondName, pair.Value.clone())))
            .Concat(updates.Select(pair => KeyValuePair.Create(pair.Key + "/" + StepName, torch.tensor(pair.Value))));

    public override void Load(IReadOnlyDictionary<string, Tensor> state, long steps)
    {
        Dictionary<string, Tensor> loadedFirst = LoadBuffers(Parameters, state, FirstName);
        Dictionary<string, Tensor> loadedSecond = LoadBuffers(Parameters, state, SecondName);
        var loadedUpdates = new Dictionary<string, long>();
        foreach (TrainableParameter p in Parameters)
        {
            if (state.TryGetValue(p.Name + "/" + StepName, out Tensor? count))
            {
                loadedUpdates[p.Name] = count.to_type(ScalarType.Int64).item<long>();
            }
        }

        if (loadedFirst.Count != loadedUpdates.Count || loadedSecond.Count != loadedUpdates.Count)
        {
            throw new InvalidDataException($"The AdamW state is incomplete: {loadedFirst.Count} first moments, {loadedSecond.Count} second moments and {loadedUpdates.Count} step counts.");
        }

        Dispose();
        first = loadedFirst;
        second = loadedSecond;
        updates = loadedUpdates;
        Steps = steps;
    }

    public override void Dispose()
    {
        foreach (Tensor buffer in first.Values.Concat(second.Values))
        {
            buffer.Dispose();
        }

        first.Clear();
        second.Clear();
        updates.Clear();
    }

    private static Tensor Buffer(Dictionary<string, Tensor> buffers, TrainableParameter p)
    {
        if (!buffers.TryGetValue(p.Name, out Tensor? buffer))
        {
            buffers[p.Name] = buffer = torch.zeros_like(p.Parameter).detach().DetachFromDisposeScope();
        }

        return buffer;
    }
}
