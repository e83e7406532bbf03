namespace EfficientNet.Sharp.Weights;

/// <summary>
/// The rule for a checkpoint's file name: a bare name inside the cache folder. A name with a folder in it,
/// a rooted path or <c>..</c> would let the cache read, lock or replace a file outside its folder.
/// </summary>
internal static class CacheFileName
{
    /// <summary>Suffixes of the cache's own bookkeeping files; a checkpoint cannot be named like one.</summary>
    private static readonly string[] ReservedSuffixes = [".partial", ".lock", DownloadRecord.Suffix];

    /// <summary>Throws when <paramref name="name"/> is not a bare file name the cache may own.</summary>
    /// <param name="name">The proposed file name.</param>
    /// <param name="parameterName">The argument or property it came from, for the message.</param>
    /// <exception cref="ArgumentException">It is empty, contains a folder separator or a wildcard, is rooted, is <c>.</c> or <c>..</c>, or ends like a bookkeeping file.</exception>
    public static void Validate(string? name, string parameterName)
    {
        string? problem = name switch
        {
            null or "" => "is empty",
            _ when string.IsNullOrWhiteSpace(name) || name.Trim() != name => "is blank or starts or ends with white space",
            "." or ".." => "is a folder reference",
            _ when name.IndexOfAny(['/', '\\']) >= 0 || Path.IsPathRooted(name) => "contains a folder; it must be a bare file name inside the cache folder",
            _ when name.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0 || name.IndexOfAny(['*', '?', ':']) >= 0 => "contains a character that is not allowed in a file name (wildcards, ':' and control characters are refused)",
            _ when ReservedSuffixes.Any(s => name.EndsWith(s, StringComparison.OrdinalIgnoreCase)) => $"ends like one of the cache's own files ({string.Join(", ", ReservedSuffixes)})",
            _ => null,
        };
        if (problem is not null)
        {
            throw new ArgumentException($"The checkpoint file name '{name}' {problem}.", parameterName);
        }
    }
}
