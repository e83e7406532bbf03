namespace EfficientNet.Sharp.Weights;

/// <summary>What a weight load did.</summary>
/// <param name="Source">The file (or state dict) loaded.</param>
/// <param name="Layout">The key layout used.</param>
/// <param name="LoadedTensors">How many of the network's tensors received checkpoint values.</param>
/// <param name="Notes">Everything worth knowing: wrapper keys, prefixes, adaptations, keys left out.</param>
/// <param name="Skipped">In non-strict loads, what was not loaded and why; empty for a strict load.</param>
public sealed record WeightLoadReport(
    string Source,
    KeyLayout Layout,
    int LoadedTensors,
    IReadOnlyList<string> Notes,
    IReadOnlyList<string> Skipped)
{
    /// <inheritdoc />
    public override string ToString()
    {
        var lines = new List<string> { $"Loaded {LoadedTensors} tensors from {Source} ({Layout} layout)." };
        lines.AddRange(Notes);
        lines.AddRange(Skipped.Select(s => $"Skipped: {s}"));
        return string.Join(Environment.NewLine, lines);
    }
}
