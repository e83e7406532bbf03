namespace EfficientNet.Sharp.Weights;

/// <summary>What a weight load did.</summary>
public sealed record WeightLoadReport
{
    internal WeightLoadReport(string source, KeyLayout layout, int loadedTensors, IReadOnlyList<string> notes, IReadOnlyList<string> skipped)
    {
        Source = source;
        Layout = layout;
        LoadedTensors = loadedTensors;
        Notes = notes;
        Skipped = skipped;
    }

    /// <summary>The file (or state dict) loaded.</summary>
    public string Source { get; init; }

    /// <summary>The key layout used.</summary>
    public KeyLayout Layout { get; init; }

    /// <summary>How many of the network's tensors received checkpoint values.</summary>
    public int LoadedTensors { get; init; }

    /// <summary>Everything worth knowing: wrapper keys, prefixes, adaptations, keys left out.</summary>
    public IReadOnlyList<string> Notes { get; init; }

    /// <summary>In non-strict loads, what was not loaded and why; empty for a strict load.</summary>
    public IReadOnlyList<string> Skipped { get; init; }

    /// <inheritdoc />
    public override string ToString()
    {
        var lines = new List<string> { $"Loaded {LoadedTensors} tensors from {Source} ({Layout} layout)." };
        lines.AddRange(Notes);
        lines.AddRange(Skipped.Select(s => $"Skipped: {s}"));
        return string.Join(Environment.NewLine, lines);
    }
}
