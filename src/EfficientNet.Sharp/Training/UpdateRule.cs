using TorchSharp;
using static TorchSharp.torch;

namespace EfficientNet.Sharp.Training;

/// <summary>
/// An optimizer written for this library rather than TorchSharp's: its state is a set of named tensors that a
/// checkpoint saves and restores exactly, and every <see cref="Scalar"/> it hands to libtorch is kept alive for
/// the call (TorchSharp 0.107's own optimizers pass implicit temporaries; docs/torchsharp-scalars.md).
/// </summary>
internal abstract class UpdateRule : IDisposable
{
    protected UpdateRule(TrainableParameter[] parameters, double weightDecay)
    {
        Parameters = parameters;
        WeightDecay = weightDecay;
    }

    protected TrainableParameter[] Parameters { get; }

    protected double WeightDecay { get; }

    /// <summary>Updates taken so far.</summary>
    public long Steps { get; protected set; }

    /// <summary>Updates every parameter that has a gradient, at <paramref name="learningRate"/>.</summary>
    public abstract void Step(double learningRate);

    /// <summary>A copy of the state to save, "parameter/buffer" → tensor (the optimizer's own buffers, not the parameters); the caller disposes it.</summary>
    public abstract IEnumerable<KeyValuePair<string, Tensor>> State();

    /// <summary>Restores <see cref="State"/> and the step count, copying the tensors.</summary>
    /// <exception cref="InvalidDataException">A tensor names no parameter or has the wrong shape.</exception>
    public abstract void Load(IReadOnlyDictionary<string, Tensor> state, long steps);

    /// <summary>The rule <paramref name="kind"/> names.</summary>
    public static UpdateRule Create(OptimizerKind kind, TrainableParameter[] parameters, TrainingOptions options) => kind switch
    {
        OptimizerKind.Sgd => new SgdRule(parameters, options.EffectiveWeightDecay, options.Momentum, options.Nesterov),
        OptimizerKind.AdamW => new AdamWRule(parameters, options.EffectiveWeightDecay),
        _ => throw new NotSupportedException($"Optimizer {kind} is not handled."),
    };

    /// <inheritdoc />
    public abstract void Dispose();

    /// <summary>Copies saved buffers into fresh tensors shaped like their parameters.</summary>
    protected static Dictionary<string, Tensor> LoadBuffers(TrainableParameter[] parameters, IReadOnlyDictionary<string, Tensor> state, string suffix)
    {
        var byName = parameters.ToDictionary(p => p.Name + "/" + suffix);
        var loaded = new Dictionary<string, Tensor>();
        foreach ((string key, Tensor value) in state.Where(pair => pair.Key.EndsWith("/" + suffix, StringComparison.Ordinal)))
        {
            if (!byName.TryGetValue(key, out TrainableParameter? parameter))
            {
                throw new InvalidDataException($"The optimizer state '{key}' names no parameter of this network.");
            }

            if (!value.shape.SequenceEqual(parameter.Parameter.shape))
            {
                throw new InvalidDataException($"The optimizer state '{key}' has shape [{string.Join(", ", value.shape)}], its parameter [{string.Join(", ", parameter.Parameter.shape)}].");
            }

            loaded[parameter.Name] = value.to(parameter.Parameter.dtype, parameter.Parameter.device, copy: true).detach().DetachFromDisposeScope();
        }

        return loaded;
    }
}
