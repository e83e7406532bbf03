namespace EfficientNet.Sharp.OnnxRuntime;

/// <summary>How far a device profile's measurement is.</summary>
/// <param name="Done">Timings done.</param>
/// <param name="Total">Timings planned so far (it grows when kernels need a third window).</param>
/// <param name="Step">What is being timed, for people.</param>
public sealed record ProfilingProgress(int Done, int Total, string Step);
