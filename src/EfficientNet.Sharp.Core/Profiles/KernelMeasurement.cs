namespace EfficientNet.Sharp.Profiles;

/// <summary>A kernel's measured time on the profiled device.</summary>
public sealed record KernelMeasurement
{
    /// <summary>Creates the <see cref="KernelMeasurement"/> from each of its values.</summary>
    /// <param name="Shape">The kernel.</param>
    /// <param name="Milliseconds">Median time of one run, the run overhead subtracted (never below 0).</param>
    /// <param name="SpreadMilliseconds">Median absolute deviation of the runs.</param>
    /// <param name="Runs">Timed runs.</param>
    public KernelMeasurement(KernelShape Shape, double Milliseconds, double SpreadMilliseconds, int Runs)
    {
        this.Shape = Shape;
        this.Milliseconds = Milliseconds;
        this.SpreadMilliseconds = SpreadMilliseconds;
        this.Runs = Runs;
    }

    /// <summary>The kernel.</summary>
    public KernelShape Shape { get; init; }

    /// <summary>Median time of one run, the run overhead subtracted (never below 0).</summary>
    public double Milliseconds { get; init; }

    /// <summary>Median absolute deviation of the runs.</summary>
    public double SpreadMilliseconds { get; init; }

    /// <summary>Timed runs.</summary>
    public int Runs { get; init; }
}
