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

    /// <summary>What happened to the classifier: the checkpoint's, a new random one, or none.</summary>
    public ClassifierOutcome Classifier { get; init; }

    /// <summary>The classes the network's classifier has (0 for a headless network).</summary>
    public int Classes { get; init; }

    /// <summary>One line for logs and tools: tensors loaded, layout, and what the classifier is.</summary>
    public string Summary => $"Loaded {LoadedTensors} tensors from {Source} ({Layout} layout); classifier: {Classifier switch
    {
        ClassifierOutcome.Loaded => $"the checkpoint's ({Classes} classes)",
        ClassifierOutcome.Replaced => $"new and untrained ({Classes} classes; the checkpoint's has another count)",
        ClassifierOutcome.None => "none (headless network)",
        ClassifierOutcome.NotLoaded => "not loaded (see the skipped keys)",
        _ => throw new InvalidOperationException($"Unhandled classifier outcome {Classifier}."),
    }}.";

    /// <inheritdoc />
    public override string ToString()
    {
        var lines = new List<string> { Summary };
        lines.AddRange(Notes);
        lines.AddRange(Skipped.Select(s => $"Skipped: {s}"));
        return string.Join(Environment.NewLine, lines);
    }
}
