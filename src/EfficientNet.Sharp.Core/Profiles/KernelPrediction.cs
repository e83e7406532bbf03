namespace EfficientNet.Sharp.Profiles;

/// <summary>One kernel of a network and its predicted time.</summary>
public sealed record KernelPrediction
{
    /// <summary>Creates the <see cref="KernelPrediction"/> from each of its values.</summary>
    /// <param name="Part">The part of the network it belongs to: <c>runtime</c>, <c>stem</c>, <c>stage N</c>, <c>head</c> or <c>classifier</c>.</param>
    /// <param name="Shape">The kernel.</param>
    /// <param name="Milliseconds">Its predicted time.</param>
    /// <param name="Extrapolated">Whether its sizes lie outside the measured grid, so that it was scaled from the nearest measured kernel of its kind (<see cref="LatencyPredictor"/>).</param>
    public KernelPrediction(string Part, KernelShape Shape, double Milliseconds, bool Extrapolated)
    {
        this.Part = Part;
        this.Shape = Shape;
        this.Milliseconds = Milliseconds;
        this.Extrapolated = Extrapolated;
    }

    /// <summary>The part of the network it belongs to: <c>runtime</c>, <c>stem</c>, <c>stage N</c>, <c>head</c> or <c>classifier</c>.</summary>
    public string Part { get; init; }

    /// <summary>The kernel.</summary>
    public KernelShape Shape { get; init; }

    /// <summary>Its predicted time.</summary>
    public double Milliseconds { get; init; }

    /// <summary>Whether its sizes lie outside the measured grid, so that it was scaled from the nearest measured kernel of its kind (<see cref="LatencyPredictor"/>).</summary>
    public bool Extrapolated { get; init; }
}
