using EfficientNet.Sharp.Analysis;
using EfficientNet.Sharp.Devices;
using EfficientNet.Sharp.Models;

namespace EfficientNet.Sharp.Planning;

/// <summary>The pretrained recommendation: which published checkpoint to run within this fit's budget.</summary>
public sealed partial class DeviceFit
{
    /// <summary>
    /// Recommends, among <paramref name="candidates"/>, the trained network with the highest published top-1 that
    /// meets the budget. Each runs at its own input size. Parameter and multiply-accumulate limits are checked from
    /// the spec first, and a candidate that breaks them is not measured; the others are measured with this fit's
    /// cost model and batch size.
    /// </summary>
    /// <param name="candidates">
    /// The networks to consider (<c>WeightCatalog.All.Select(CheckpointCandidate.From)</c>, imported TFLite files, …);
    /// by default torchvision's default checkpoint of every registered model (<see cref="ModelRegistry"/>).
    /// </param>
    /// <param name="cancellationToken">Stops between measurements.</param>
    /// <returns>Every candidate, most accurate first, and the recommendation.</returns>
    /// <exception cref="ArgumentException">A candidate is null or lacks a name, an architecture or a finite top-1.</exception>
    /// <exception cref="InvalidOperationException">No limit was set, or a measured limit was set on a fit without a device.</exception>
    public PretrainedFitResult FitPretrained(IEnumerable<CheckpointCandidate>? candidates = null, CancellationToken cancellationToken = default)
    {
        CheckpointCandidate[] checkpoints = [.. candidates ?? CheckpointCandidate.RegistryDefaults];
        int bad = Array.FindIndex(checkpoints, c => c?.Name is null || c.Spec is null || !double.IsFinite(c.Top1Accuracy));
        if (bad >= 0)
        {
            throw new ArgumentException($"Candidate {bad} ({checkpoints[bad]?.Name ?? "null"}) needs a name, an architecture and a finite published top-1.", nameof(candidates));
        }

        FitBudget budget = Budget();
        if (budget.NeedsMeasurement && costModel is null)
        {
            throw new InvalidOperationException("A latency or memory limit needs a device: use DeviceFit.OnThisMachine(), OnCuda() or Using(costModel).");
        }

        var considered = new List<PretrainedCandidate>();
        foreach (CheckpointCandidate checkpoint in checkpoints.DistinctBy(c => c.Name).OrderByDescending(c => c.Top1Accuracy))
        {
            NetworkAnalysis analysis = NetworkAnalyzer.Analyze(checkpoint.Spec, batchSize: budget.BatchSize);
            List<string> violations = BudgetCheck.StaticViolations(budget, analysis);
            CostMeasurement? measurement = null;
            if (violations.Count == 0 && budget.NeedsMeasurement)
            {
                progress?.Report(new FitProgress(FitProgress.PretrainedPhase, 0, checkpoint.Name, considered.Count(c => c.Measurement is not null), FitProgress.PretrainedPhase));
                measurement = costModel!.Measure(checkpoint.Spec, budget.BatchSize, cancellationToken);
                violations.AddRange(BudgetCheck.MeasuredViolations(budget, analysis, measurement));
            }

            considered.Add(new PretrainedCandidate(checkpoint, analysis, measurement, violations));
        }

        var result = new PretrainedFitResult(budget, costModel?.Description ?? "specs only", considered);
        return RecheckDecidingPair(result, considered, budget, cancellationToken);
    }

    /// <summary>
    /// The choice and the next more accurate checkpoint decide the answer. When only measured limits rule out the
    /// latter, both are measured again interleaved in one window (as the φ search does), and the result follows.
    /// </summary>
    private PretrainedFitResult RecheckDecidingPair(PretrainedFitResult result, List<PretrainedCandidate> considered, FitBudget budget, CancellationToken cancellationToken)
    {
        if (result is not { Choice: { Measurement: not null } choice, MoreAccurate: { Measurement: not null } over }
            || BudgetCheck.StaticViolations(budget, over.Analysis).Count > 0)
        {
            return result;
        }

        progress?.Report(new FitProgress(FitProgress.PretrainedPhase, 0, choice.Name, considered.Count(c => c.Measurement is not null), FitProgress.PretrainedPhase));
        progress?.Report(new FitProgress(FitProgress.PretrainedPhase, 0, over.Name, considered.Count(c => c.Measurement is not null), FitProgress.PretrainedPhase));
        (CostMeasurement a, CostMeasurement b) = costModel!.RemeasurePair(choice.Spec, over.Spec, budget.BatchSize, budget.LatencyMilliseconds, cancellationToken);
        considered[considered.IndexOf(choice)] = choice with { Measurement = a, Violations = BudgetCheck.MeasuredViolations(budget, choice.Analysis, a) };
        considered[considered.IndexOf(over)] = over with { Measurement = b, Violations = BudgetCheck.MeasuredViolations(budget, over.Analysis, b) };
        return new PretrainedFitResult(budget, result.Device, considered);
    }
}
