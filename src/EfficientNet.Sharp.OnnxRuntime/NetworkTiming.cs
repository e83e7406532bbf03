namespace EfficientNet.Sharp.OnnxRuntime;

/// <summary>A network timed on this device by <see cref="DeviceProfiler.MeasureNetwork"/>.</summary>
/// <param name="Milliseconds">The median time of one batch-1 run.</param>
/// <param name="SpreadMilliseconds">The median absolute deviation of the runs.</param>
/// <param name="Runs">The runs timed.</param>
public sealed record NetworkTiming(double Milliseconds, double SpreadMilliseconds, int Runs);
