using EfficientNet.Sharp.Cli.Limits;
using EfficientNet.Sharp.Devices;
using EfficientNet.Sharp.Specs;

namespace EfficientNet.Sharp.Cli.Commands;

/// <summary>
/// Checks each candidate's estimated memory against this machine's before it is built and measured: a batch or a
/// φ range too large for the machine is a usage error naming the options, not a process the system kills.
/// </summary>
internal sealed class MemoryGuardedCostModel(ICostModel inner) : ICostModel
{
    private const string Options = "--batch (or --max-phi, --resolution)";

    public string Description => inner.Description;

    public InferenceRuntime? Runtime => inner.Runtime;

    public bool MeasuresThisMachine => inner.MeasuresThisMachine;

    public CostMeasurement Measure(NetworkSpec spec, int batchSize, CancellationToken cancellationToken)
    {
        MemoryCheck.Inference(spec, batchSize, Options);
        return inner.Measure(spec, batchSize, cancellationToken);
    }

    public CostMeasurement Remeasure(NetworkSpec spec, int batchSize, CancellationToken cancellationToken)
    {
        MemoryCheck.Inference(spec, batchSize, Options);
        return inner.Remeasure(spec, batchSize, cancellationToken);
    }

    public (CostMeasurement First, CostMeasurement Second) RemeasurePair(NetworkSpec first, NetworkSpec second, int batchSize, double? latencyBudgetMilliseconds, CancellationToken cancellationToken)
    {
        MemoryCheck.Inference(second, batchSize, Options);
        return inner.RemeasurePair(first, second, batchSize, latencyBudgetMilliseconds, cancellationToken);
    }
}
