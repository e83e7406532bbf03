namespace EfficientNet.Sharp.Weights;

/// <summary>A checkpoint does not fit the network; every problem is listed, and nothing was loaded.</summary>
public sealed class WeightMismatchException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="source">The checkpoint.</param>
    /// <param name="missing">Network keys the checkpoint lacks.</param>
    /// <param name="unexpected">Checkpoint keys the network lacks.</param>
    /// <param name="mismatched">Keys present in both whose shape or dtype differs: key, expected, found.</param>
    public WeightMismatchException(string source, IReadOnlyList<string> missing, IReadOnlyList<string> unexpected, IReadOnlyList<(string Key, string Expected, string Found)> mismatched)
        : this(source, missing, unexpected, mismatched, reason: null)
    {
    }

    /// <summary>Creates the exception with a first line that explains the mismatch better than the key list does.</summary>
    internal WeightMismatchException(string source, IReadOnlyList<string> missing, IReadOnlyList<string> unexpected, IReadOnlyList<(string Key, string Expected, string Found)> mismatched, string? reason)
        : base(Describe(source, missing, unexpected, mismatched, reason))
    {
        CheckpointName = source;
        Missing = missing;
        Unexpected = unexpected;
        Mismatched = mismatched;
    }

    /// <summary>The checkpoint (its file name, or a description).</summary>
    public string CheckpointName { get; }

    /// <summary>Network keys the checkpoint lacks.</summary>
    public IReadOnlyList<string> Missing { get; }

    /// <summary>Checkpoint keys the network lacks.</summary>
    public IReadOnlyList<string> Unexpected { get; }

    /// <summary>Keys in both whose shape or dtype differs.</summary>
    public IReadOnlyList<(string Key, string Expected, string Found)> Mismatched { get; }

    private static string Describe(string source, IReadOnlyList<string> missing, IReadOnlyList<string> unexpected, IReadOnlyList<(string Key, string Expected, string Found)> mismatched, string? reason)
    {
        var text = new System.Text.StringBuilder(reason ?? $"The weights in '{source}' do not fit the network ({missing.Count} missing, {unexpected.Count} unexpected, {mismatched.Count} mismatched); nothing was loaded.");
        foreach (string key in missing)
        {
            text.Append($"{Environment.NewLine}  missing: {key}");
        }

        foreach (string key in unexpected)
        {
            text.Append($"{Environment.NewLine}  unexpected: {key}");
        }

        foreach ((string key, string expected, string found) in mismatched)
        {
            text.Append($"{Environment.NewLine}  mismatched: {key}: expected {expected}, found {found}");
        }

        return text.ToString();
    }
}
