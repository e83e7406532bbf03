using System.Globalization;

namespace EfficientNet.Sharp.Cli.Limits;

/// <summary>
/// The ceiling of <c>--threads</c>: four per logical processor (at least 16). More threads than that only contend
/// for the same cores, and each costs a stack: <c>--threads 3000</c> started 6,009 threads and 100,000 never returned.
/// </summary>
internal static class ThreadLimit
{
    /// <summary>The most threads any command accepts on this machine.</summary>
    public static int Maximum => Math.Max(16, 4 * Environment.ProcessorCount);

    /// <summary>The usage error for a <c>--threads</c> value, or null when it is in range.</summary>
    public static string? Problem(int? threads) =>
        threads is int count && (count < 1 || count > Maximum)
            ? string.Create(CultureInfo.InvariantCulture, $"--threads must be 1 to {Maximum} (four per logical processor; this machine has {Environment.ProcessorCount}).")
            : null;
}
