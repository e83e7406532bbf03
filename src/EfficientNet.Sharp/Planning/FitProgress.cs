namespace EfficientNet.Sharp.Planning;

/// <summary>Progress of a device fit, reported before each measurement.</summary>
/// <param name="Family">The family being searched.</param>
/// <param name="Phi">The φ about to be measured.</param>
/// <param name="NetworkName">The network about to be measured.</param>
/// <param name="Measured">Networks measured so far in this search.</param>
/// <param name="Phase">What the search is doing: <c>coarse</c> (stepping by 1 to bracket the budget), <c>boundary</c> (stepping by 0.1 to confirm it) or <c>recheck</c> (measuring the deciding neighbour again).</param>
public sealed record FitProgress(string Family, double Phi, string NetworkName, int Measured, string Phase);
