using EfficientNet.Sharp.Analysis;
using EfficientNet.Sharp.Devices;
using EfficientNet.Sharp.Models;
using EfficientNet.Sharp.Specs;
using EfficientNet.Sharp.Weights;

namespace EfficientNet.Sharp.Planning;

/// <summary>The pretrained recommendation: which published checkpoint to run within this fit's budget.</summary>
public sealed partial class DeviceFit
{
    /// <summary>
    /// Recommends, among <paramref name="candidates"/>, the checkpoint with the highest published top-1 that meets the
    /// budget. Each runs at its transform's crop size. Parameter and multiply-accumulate limits are checked from the
    /// spec first, and a checkpoint that breaks them is not measured; the others are measured with this fit's cost
    /// model and batch size.
    /// </summary>
    /// <param name="candidates">
    /// Checkpoints with a published top-1 (<see cref="WeightCatalog.All"/>, for example); by default torchvision's
    /// default checkpoint of every registered model (<see cref="ModelRegistry"/>).
    /// </param>
    /// <param name="cancellationToken">Stops between measurements.</param>
    /// <returns>Every candidate, most accurate first, and the recommendation.</returns>
    /// <exception cref="ArgumentException">A candidate has no published top-1.</exception>
    /// <exception cref="InvalidOperationException">No limit was set, or a measured limit was set on a fit without a device.</exception>
    public PretrainedFitResult FitPretrained(IEnumerable<PretrainedWeights>? candidates = null, CancellationToken cancellationToken = default)
    {
        candidates ??= ModelRegistry.All.Select(model => model.DefaultWeights).OfType<PretrainedWeights>();
        FitBudget budget = Budget();
        if (budget.NeedsMeasurement && costModel is null)
        {
            throw new InvalidOperationException("A latency or memory limit needs a device: use DeviceFit.OnThisMachine(), OnCuda() or Using(costModel).");
        }

        var considered = new List<PretrainedCandidate>();
        foreach (PretrainedWeights weights in candidates.DistinctBy(w => w.Name).OrderByDescending(w => w.Top1Accuracy))
        {
            if (weights.Top1Accuracy is null)
            {
                throw new ArgumentException($"{weights.Name} has no published top-1 accuracy to rank it by.", nameof(candidates));
            }

            NetworkSpec spec = weights.Architecture with { Resolution = weights.Transform.CropSize };
            NetworkAnalysis analysis = NetworkAnalyzer.Analyze(spec, batchSize: budget.BatchSize);
            List<string> violations = BudgetCheck.StaticViolations(budget, analysis);
            CostMeasurement? measurement = null;
            if (violations.Count == 0 && budget.NeedsMeasurement)
            {
                progress?.Report(new FitProgress(FitProgress.PretrainedPhase, 0, weights.Name, considered.Count(c => c.Measurement is not null), FitProgress.PretrainedPhase));
                measurement = costModel!.Measure(spec, budget.BatchSize, cancellationToken);
                violations.AddRange(BudgetCheck.MeasuredViolations(budget, analysis, measurement));
            }

            considered.Add(new PretrainedCandidate(weights, spec, analysis, measurement, violations));
        }

        return new PretrainedFitResult(budget, costModel?.Description ?? "specs only", considered);
    }
}
