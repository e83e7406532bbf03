using System.Globalization;
using System.Text;

namespace EfficientNet.Sharp.Planning;

/// <summary>
/// Which published checkpoint to run on a device: the most accurate (published top-1) that meets the budget, with
/// the next more accurate one that does not (what the budget costs) and the next less accurate one that does.
/// </summary>
public sealed record PretrainedFitResult
{
    internal PretrainedFitResult(FitBudget budget, string device, IReadOnlyList<PretrainedCandidate> candidates)
    {
        Budget = budget;
        Device = device;
        Candidates = candidates;
        Choice = candidates.Where(c => c.Fits).MaxBy(c => c.Top1Accuracy);
        MoreAccurate = Choice is null ? candidates.MinBy(c => c.Top1Accuracy) : candidates.Where(c => !c.Fits && c.Top1Accuracy > Choice.Top1Accuracy).MinBy(c => c.Top1Accuracy);
        LessAccurate = Choice is null ? null : candidates.Where(c => c.Fits && c.Top1Accuracy < Choice.Top1Accuracy).MaxBy(c => c.Top1Accuracy);
    }

    /// <summary>The limits.</summary>
    public FitBudget Budget { get; init; }

    /// <summary>Where the latency and memory were measured ("specs only" when nothing was).</summary>
    public string Device { get; init; }

    /// <summary>Every checkpoint considered, most accurate first.</summary>
    public IReadOnlyList<PretrainedCandidate> Candidates { get; init; }

    /// <summary>The recommendation, or <see langword="null"/> when no checkpoint meets the budget.</summary>
    public PretrainedCandidate? Choice { get; init; }

    /// <summary>The least accurate checkpoint that is more accurate than the choice and breaks the budget (when nothing fits: the smallest).</summary>
    public PretrainedCandidate? MoreAccurate { get; init; }

    /// <summary>The most accurate checkpoint below the choice that also fits.</summary>
    public PretrainedCandidate? LessAccurate { get; init; }

    /// <summary>A table of every candidate and the recommendation, for people.</summary>
    public string Report
    {
        get
        {
            var text = new StringBuilder();
            bool predicted = Candidates.Any(candidate => candidate.Measurement?.IsPredicted == true);
            text.AppendLine(CultureInfo.InvariantCulture, $"Budget: {Budget}. {(predicted ? "Latencies predicted, not measured" : "Measured on")}: {Device}.");
            text.AppendLine("checkpoint                                  top-1   input   latency ms (90% interval)  fits");
            foreach (PretrainedCandidate candidate in Candidates)
            {
                string latency = candidate.Measurement is not { } m ? "–"
                    : m.IsPredicted ? string.Create(CultureInfo.InvariantCulture, $"{m.LatencyMilliseconds:0.00} predicted")
                    : m.Details?.MedianInterval90 is (double lower, double upper) ? string.Create(CultureInfo.InvariantCulture, $"{m.LatencyMilliseconds:0.0} ({lower:0.0}–{upper:0.0})")
                    : string.Create(CultureInfo.InvariantCulture, $"{m.LatencyMilliseconds:0.0} ± {m.LatencySpreadMilliseconds:0.0}");
                string verdict = candidate.Fits ? "yes" : "no: " + string.Join("; ", candidate.Violations);
                text.AppendLine(CultureInfo.InvariantCulture, $"{candidate.Name,-42}  {candidate.Top1Accuracy,6:0.00}  {candidate.Spec.Resolution,4} px  {latency,-25}  {verdict}");
            }

            text.AppendLine(Choice is null
                ? "No published checkpoint meets the budget."
                : string.Create(CultureInfo.InvariantCulture, $"Recommended: {Choice.Name} ({Choice.Top1Accuracy:0.00}% top-1)."));
            if (Choice is not null && MoreAccurate is not null)
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"Next more accurate, over the budget: {MoreAccurate.Name} ({MoreAccurate.Top1Accuracy:0.00}%: {string.Join("; ", MoreAccurate.Violations)}).");
            }

            if (LessAccurate is not null)
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"Next less accurate, within the budget: {LessAccurate.Name} ({LessAccurate.Top1Accuracy:0.00}%).");
            }

            return text.ToString();
        }
    }
}
