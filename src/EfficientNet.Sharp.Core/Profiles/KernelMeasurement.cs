namespace EfficientNet.Sharp.Profiles;

/// <summary>A kernel's measured time on the profiled device.</summary>
/// <param name="Shape">The kernel.</param>
/// <param name="Milliseconds">Median time of one run, the run overhead subtracted (never below 0).</param>
/// <param name="SpreadMilliseconds">Median absolute deviation of the runs.</param>
/// <param name="Runs">Timed runs.</param>
public sealed record KernelMeasurement(KernelShape Shape, double Milliseconds, double SpreadMilliseconds, int Runs);
