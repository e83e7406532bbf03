using EfficientNet.Sharp.Devices;
using EfficientNet.Sharp.Planning;

namespace EfficientNet.Sharp.Cli.Commands;

/// <summary><c>effnet fit --json</c>: the search's results with every candidate (schema effnet/fit/1), or the checkpoint ranking with <c>--pretrained</c>.</summary>
internal static class FitJson
{
    public static object Of(IReadOnlyList<FitResult> results) => new
    {
        Kind = "search",
        Device = results[0].Device,
        Budget = Budget(results[0].Budget),
        Results = results.Select(result => new
        {
            result.Family,
            result.MinPhi,
            result.MaxPhi,
            result.Fits,
            result.Remeasurements,
            OtherProcessCores = result.OtherProcessCores,
            Warnings = result.TrustWarnings,
            Chosen = result.Chosen is { } chosen ? Candidate(chosen) : null,
            NextLarger = result.NextLarger is { } next ? Candidate(next) : null,
            Candidates = result.Candidates.Select(Candidate),
        }),
    };

    public static object Of(PretrainedFitResult result) => new
    {
        Kind = "pretrained",
        result.Device,
        Budget = Budget(result.Budget),
        Recommended = result.Choice?.Name,
        MoreAccurate = result.MoreAccurate?.Name,
        LessAccurate = result.LessAccurate?.Name,
        Candidates = result.Candidates.Select(candidate => new
        {
            candidate.Name,
            Top1 = candidate.Top1Accuracy,
            Network = candidate.Spec.Name,
            candidate.Spec.Resolution,
            candidate.Analysis.Parameters,
            candidate.Analysis.MultiplyAccumulates,
            LatencyMilliseconds = candidate.Measurement?.LatencyMilliseconds,
            LatencySpreadMilliseconds = Spread(candidate.Measurement),
            Predicted = candidate.Measurement?.IsPredicted ?? false,
            candidate.Fits,
            candidate.Violations,
        }),
    };

    /// <summary>A measurement's spread; a prediction has none.</summary>
    private static double? Spread(CostMeasurement? measurement) => measurement is { IsPredicted: false } measured ? measured.LatencySpreadMilliseconds : null;

    private static object Budget(FitBudget budget) => new
    {
        budget.LatencyMilliseconds,
        budget.BatchSize,
        budget.MaxParameters,
        budget.MaxMultiplyAccumulates,
        budget.MaxPeakMemoryBytes,
    };

    private static object Candidate(FitCandidate candidate) => new
    {
        candidate.Phi,
        Network = candidate.Spec.Name,
        candidate.Spec.Resolution,
        candidate.Analysis.Parameters,
        candidate.Analysis.MultiplyAccumulates,
        LatencyMilliseconds = candidate.Measurement?.LatencyMilliseconds,
        LatencySpreadMilliseconds = Spread(candidate.Measurement),
        Predicted = candidate.Measurement?.IsPredicted ?? false,
        CurveMilliseconds = candidate.PredictedLatencyMilliseconds,
        candidate.PeakMemoryBytes,
        candidate.PeakMemoryWasMeasured,
        candidate.MeetsBudget,
        candidate.Violations,
    };
}
