namespace EfficientNet.Sharp.Planning;

/// <summary>Progress of a device fit, reported before each measurement.</summary>
public sealed record FitProgress
{
    internal FitProgress(string family, double phi, string networkName, int measured, string phase)
    {
        Family = family;
        Phi = phi;
        NetworkName = networkName;
        Measured = measured;
        Phase = phase;
    }

    /// <summary>The family being searched.</summary>
    public string Family { get; init; }

    /// <summary>The φ about to be measured.</summary>
    public double Phi { get; init; }

    /// <summary>The network about to be measured.</summary>
    public string NetworkName { get; init; }

    /// <summary>Networks measured so far in this search.</summary>
    public int Measured { get; init; }

    /// <summary>
    /// What the search is doing: <c>coarse</c> (stepping by 1 to bracket the budget), <c>boundary</c> (stepping by
    /// 0.1 to confirm it), <c>recheck</c> (measuring the deciding neighbour again), or <see cref="PretrainedPhase"/>
    /// (measuring a published checkpoint; <see cref="NetworkName"/> is the checkpoint's name and φ is not used).
    /// </summary>
    public string Phase { get; init; }

    /// <summary>The phase of <see cref="DeviceFit.FitPretrained"/>'s measurements.</summary>
    public const string PretrainedPhase = "pretrained";
}
