namespace EfficientNet.Sharp.OnnxRuntime;

/// <summary>How far a device profile's measurement is.</summary>
public sealed record ProfilingProgress
{
    /// <summary>Creates the <see cref="ProfilingProgress"/> from each of its values.</summary>
    /// <param name="Done">Timings done.</param>
    /// <param name="Total">Timings planned so far (it grows when kernels need a third window).</param>
    /// <param name="Step">What is being timed, for people.</param>
    public ProfilingProgress(int Done, int Total, string Step)
    {
        this.Done = Done;
        this.Total = Total;
        this.Step = Step;
    }

    /// <summary>Timings done.</summary>
    public int Done { get; init; }

    /// <summary>Timings planned so far (it grows when kernels need a third window).</summary>
    public int Total { get; init; }

    /// <summary>What is being timed, for people.</summary>
    public string Step { get; init; }
}
