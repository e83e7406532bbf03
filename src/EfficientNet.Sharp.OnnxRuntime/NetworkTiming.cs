namespace EfficientNet.Sharp.OnnxRuntime;

/// <summary>A network timed on this device by <see cref="DeviceProfiler.MeasureNetwork"/>.</summary>
public sealed record NetworkTiming
{
    /// <summary>Creates the <see cref="NetworkTiming"/> from each of its values.</summary>
    /// <param name="Milliseconds">The median time of one batch-1 run.</param>
    /// <param name="SpreadMilliseconds">The median absolute deviation of the runs.</param>
    /// <param name="Runs">The runs timed.</param>
    public NetworkTiming(double Milliseconds, double SpreadMilliseconds, int Runs)
    {
        this.Milliseconds = Milliseconds;
        this.SpreadMilliseconds = SpreadMilliseconds;
        this.Runs = Runs;
    }

    /// <summary>The median time of one batch-1 run.</summary>
    public double Milliseconds { get; init; }

    /// <summary>The median absolute deviation of the runs.</summary>
    public double SpreadMilliseconds { get; init; }

    /// <summary>The runs timed.</summary>
    public int Runs { get; init; }
}
