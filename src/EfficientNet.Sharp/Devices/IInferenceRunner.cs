namespace EfficientNet.Sharp.Devices;

/// <summary>
/// One loaded network in some runtime, ready to run a fixed batch: what <see cref="LatencyProfiler.MeasureRunner"/>
/// times. Disposing it releases the runtime's resources.
/// </summary>
internal interface IInferenceRunner : IDisposable
{
    /// <summary>Runs the batch once, to completion (synchronously, outputs discarded).</summary>
    void Run();
}
