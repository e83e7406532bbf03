using System.Globalization;
using EfficientNet.Sharp.Cli.Errors;
using EfficientNet.Sharp.Devices;
using EfficientNet.Sharp.Planning;
using EfficientNet.Sharp.Specs;

namespace EfficientNet.Sharp.Cli.Commands;

// What effnet fit writes to stderr while it works: the progress line and one line per measurement.
internal sealed partial class FitCommand
{
    /// <summary>What is being measured (or predicted, from a profile), on the progress line of a terminal's stderr.</summary>
    private sealed class FitProgressLine(Diagnostics diagnostics, string doing) : IProgress<FitProgress>
    {
        public void Report(FitProgress value) =>
            diagnostics.Progress(value.Phase == FitProgress.PretrainedPhase
                ? $"{doing} {value.NetworkName} ({value.Measured} done so far)"
                : string.Create(CultureInfo.InvariantCulture, $"{value.Family}: {doing} φ = {value.Phi:0.0} ({value.NetworkName}, {(value.Phase == "recheck" ? "once more, it decides the boundary" : value.Phase + " search")})"));
    }

    /// <summary>
    /// Writes one line per measurement to stderr as it completes; a prediction from a profile with kernels outside its
    /// grid says how many (<see cref="SawExtrapolation"/>).
    /// </summary>
    private sealed class ReportingCostModel(ICostModel inner, Diagnostics diagnostics) : ICostModel
    {
        public string Description => inner.Description;

        /// <summary>Whether any network was predicted with kernels outside the profile's grid.</summary>
        public bool SawExtrapolation { get; private set; }

        public InferenceRuntime? Runtime => inner.Runtime;

        public bool MeasuresThisMachine => inner.MeasuresThisMachine;

        public (CostMeasurement First, CostMeasurement Second) RemeasurePair(NetworkSpec first, NetworkSpec second, int batchSize, double? latencyBudgetMilliseconds, CancellationToken cancellationToken)
        {
            (CostMeasurement a, CostMeasurement b) = inner.RemeasurePair(first, second, batchSize, latencyBudgetMilliseconds, cancellationToken);
            return (Print(first, a, "  (measured again, interleaved with the next)"), Print(second, b, "  (measured again, interleaved with the previous)"));
        }

        public CostMeasurement Measure(NetworkSpec spec, int batchSize, CancellationToken cancellationToken) =>
            Print(spec, inner.Measure(spec, batchSize, cancellationToken), "");

        public CostMeasurement Remeasure(NetworkSpec spec, int batchSize, CancellationToken cancellationToken) =>
            Print(spec, inner.Remeasure(spec, batchSize, cancellationToken), "  (measured again; the better window is kept)");

        private CostMeasurement Print(NetworkSpec spec, CostMeasurement cost, string note)
        {
            if (cost.IsPredicted)
            {
                int extrapolated = cost.ExtrapolatedKernels;
                SawExtrapolation |= extrapolated > 0;
                string outside = extrapolated > 0 ? $" ({extrapolated} kernel{(extrapolated == 1 ? "" : "s")} outside the profile's grid)" : "";
                diagnostics.Note(string.Create(CultureInfo.InvariantCulture, $"  {spec.Name,-36} {spec.Resolution,4} px  {cost.LatencyMilliseconds,8:0.00} ms predicted{outside}"));
                return cost;
            }

            string memory = cost.PeakMemoryBytes is long bytes ? SummaryTable.Bytes(bytes) : "n/a";
            diagnostics.Note(string.Create(CultureInfo.InvariantCulture, $"  {spec.Name,-36} {spec.Resolution,4} px  {cost.LatencyMilliseconds,8:0.0} ms ± {cost.LatencySpreadMilliseconds:0.0}  peak {memory}{note}"));
            return cost;
        }
    }
}
