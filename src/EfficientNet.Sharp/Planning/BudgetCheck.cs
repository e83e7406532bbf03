using System.Globalization;
using EfficientNet.Sharp.Analysis;
using EfficientNet.Sharp.Devices;

namespace EfficientNet.Sharp.Planning;

/// <summary>Which limits of a budget a network breaks, each as a short reason ("5,288,548 parameters > 5,000,000").</summary>
internal static class BudgetCheck
{
    /// <summary>The limits decided from the spec alone: parameters and multiply-accumulates.</summary>
    public static List<string> StaticViolations(FitBudget budget, NetworkAnalysis analysis)
    {
        var violations = new List<string>();
        if (budget.MaxParameters is long maxParameters && analysis.Parameters > maxParameters)
        {
            violations.Add($"{analysis.Parameters.ToString("N0", CultureInfo.InvariantCulture)} parameters > {maxParameters.ToString("N0", CultureInfo.InvariantCulture)}");
        }

        if (budget.MaxMultiplyAccumulates is long maxMacs && analysis.MultiplyAccumulates > maxMacs)
        {
            violations.Add($"{Giga(analysis.MultiplyAccumulates)} GMACs > {Giga(maxMacs)}");
        }

        return violations;
    }

    /// <summary>The measured limits: latency, and peak memory (the spec's estimate where the device cannot report it).</summary>
    public static List<string> MeasuredViolations(FitBudget budget, NetworkAnalysis analysis, CostMeasurement? measurement)
    {
        var violations = new List<string>();
        if (measurement is null)
        {
            return violations;
        }

        if (budget.LatencyMilliseconds is double latency && measurement.LatencyMilliseconds > latency)
        {
            violations.Add($"{Milliseconds(measurement.LatencyMilliseconds)} ms > {Milliseconds(latency)}{NoiseNote(measurement, latency)}");
        }

        long memory = measurement.PeakMemoryBytes ?? analysis.EstimatedInferencePeakBytes;
        if (budget.MaxPeakMemoryBytes is long maxMemory && memory > maxMemory)
        {
            violations.Add($"{Mebibytes(memory)} MiB{(measurement.PeakMemoryBytes is null ? " (estimated)" : "")} > {Mebibytes(maxMemory)}");
        }

        return violations;
    }

    /// <summary>
    /// Whether the budget lies inside the median's 90% interval: then the verdict rests on this one window, and the
    /// report says so.
    /// </summary>
    public static bool IsWithinNoise(CostMeasurement measurement, double latencyMilliseconds) =>
        measurement.Details?.MedianInterval90 is (double lower, double upper) && lower <= latencyMilliseconds && latencyMilliseconds <= upper;

    private static string NoiseNote(CostMeasurement measurement, double latency) =>
        IsWithinNoise(measurement, latency) && measurement.Details!.MedianInterval90 is (double lower, double upper)
            ? $" (within noise: the median's 90% interval is {Milliseconds(lower)}–{Milliseconds(upper)} ms)"
            : "";

    private static string Giga(long value) => (value / 1e9).ToString("0.###", CultureInfo.InvariantCulture);

    private static string Milliseconds(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);

    private static string Mebibytes(long bytes) => (bytes / 1048576.0).ToString("0.#", CultureInfo.InvariantCulture);
}
