using System.Globalization;
using EfficientNet.Sharp.Devices;

namespace EfficientNet.Sharp.Planning;

/// <summary>
/// When a fit's measurements cannot be trusted, and why: a candidate whose runs spread widely, a larger network measured
/// faster than a smaller one, or other processes busy on the machine while it measured. Each is a sign that the machine
/// was not quiet, and the same fit run again may answer differently. Predictions from a profile are not checked.
/// </summary>
internal static class MeasurementTrust
{
    /// <summary>A candidate's spread (median absolute deviation) over this fraction of its median latency is flagged.</summary>
    public const double SpreadFraction = 0.10;

    /// <summary>
    /// A network with at least this fraction more multiply-accumulates measured at least this fraction faster than a
    /// smaller one is flagged (closer pairs differ within what layout and cache effects explain).
    /// </summary>
    public const double InversionFraction = 0.10;

    /// <summary>A network measured again this fraction away from its first measurement is flagged: the machine's speed changed.</summary>
    public const double RepeatFraction = 0.15;

    /// <summary>Other processes keeping this many CPU cores busy on average during the fit is flagged.</summary>
    public const double OtherProcessCoresLimit = 0.25;

    /// <summary>What makes the result's measurements doubtful; empty when nothing does.</summary>
    /// <param name="result">A fit's result.</param>
    /// <returns>One sentence per finding.</returns>
    public static IReadOnlyList<string> Warnings(FitResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var measured = result.Candidates.Where(c => c.Measurement is { IsPredicted: false }).OrderBy(c => c.Analysis.MultiplyAccumulates).ToList();
        var warnings = new List<string>();
        foreach (FitCandidate candidate in measured)
        {
            CostMeasurement m = candidate.Measurement!;
            if (m.LatencySpreadMilliseconds > SpreadFraction * m.LatencyMilliseconds)
            {
                warnings.Add(Invariant($"φ = {candidate.Phi:0.0} ({candidate.Spec.Name}) spread ± {m.LatencySpreadMilliseconds:0.0} ms around {m.LatencyMilliseconds:0.0} ms, {m.LatencySpreadMilliseconds / m.LatencyMilliseconds:P0} of its median (more than {SpreadFraction:P0}): its runs disagree."));
            }
        }

        // The worst inversion: the largest speed-up of a network over a smaller one.
        (FitCandidate Small, FitCandidate Large, double Ratio)? worst = null;
        for (int i = 0; i < measured.Count; i++)
        {
            for (int j = i + 1; j < measured.Count; j++)
            {
                FitCandidate small = measured[i], large = measured[j];
                double ratio = large.Measurement!.LatencyMilliseconds / small.Measurement!.LatencyMilliseconds;
                if (large.Analysis.MultiplyAccumulates >= (1 + InversionFraction) * small.Analysis.MultiplyAccumulates && ratio <= 1 - InversionFraction && (worst is null || ratio < worst.Value.Ratio))
                {
                    worst = (small, large, ratio);
                }
            }
        }

        if (worst is { } inversion)
        {
            warnings.Add(Invariant($"φ = {inversion.Large.Phi:0.0} ({inversion.Large.Analysis.GigaMultiplyAccumulates:0.000} GMACs) measured {inversion.Large.Measurement!.LatencyMilliseconds:0.0} ms, faster than φ = {inversion.Small.Phi:0.0} ({inversion.Small.Analysis.GigaMultiplyAccumulates:0.000} GMACs) at {inversion.Small.Measurement!.LatencyMilliseconds:0.0} ms: latency fell as the network grew, so the machine's speed changed between them."));
        }

        if (result.Repeats.MaxBy(r => r.Change) is { } repeat && repeat.Change > 1 + RepeatFraction)
        {
            warnings.Add(Invariant($"φ = {repeat.Phi:0.0} ({repeat.Network}) measured {repeat.FirstMilliseconds:0.0} ms, then {repeat.AgainMilliseconds:0.0} ms when measured again: the machine's speed changed by {repeat.Change - 1:P0} during the fit, and the answer may move with it."));
        }

        if (measured.Count > 0 && result.OtherProcessCores is double others && others > OtherProcessCoresLimit)
        {
            warnings.Add(Invariant($"Other processes (or the virtual machine's neighbours) kept {others:0.00} CPU cores busy on average while this fit measured: the latencies are those of a shared machine."));
        }

        return warnings;
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
