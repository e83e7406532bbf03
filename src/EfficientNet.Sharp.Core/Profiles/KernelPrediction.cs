namespace EfficientNet.Sharp.Profiles;

/// <summary>One kernel of a network and its predicted time.</summary>
/// <param name="Part">The part of the network it belongs to: <c>runtime</c>, <c>stem</c>, <c>stage N</c>, <c>head</c> or <c>classifier</c>.</param>
/// <param name="Shape">The kernel.</param>
/// <param name="Milliseconds">Its predicted time.</param>
/// <param name="Extrapolated">Whether its sizes lie outside the measured grid, so that it was scaled by work from the nearest measured kernel of its kind.</param>
public sealed record KernelPrediction(string Part, KernelShape Shape, double Milliseconds, bool Extrapolated);
