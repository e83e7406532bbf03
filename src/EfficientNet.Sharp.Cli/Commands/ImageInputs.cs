namespace EfficientNet.Sharp.Cli.Commands;

/// <summary>One image the command was asked for: its path, or why none was found for an argument.</summary>
internal sealed record ImageInput(string Path, string? Problem);

/// <summary>
/// The images that <c>effnet classify</c>'s arguments name: files as given, folders' images (their sub-folders too with
/// <c>--recursive</c>), and glob patterns (<c>photos/*.jpg</c>, <c>photos/**/*.png</c>) for shells that do not expand them.
/// An argument that names nothing becomes an input with a problem, reported in its place without stopping the run.
/// </summary>
internal static class ImageInputs
{
    /// <summary>The file extensions taken from folders and globs (files given by name are tried whatever they are called).</summary>
    public static readonly string[] Extensions = [".jpg", ".jpeg", ".png", ".bmp", ".gif", ".webp"];

    public static IReadOnlyList<ImageInput> Expand(IEnumerable<string> arguments, bool recursive)
    {
        var inputs = new List<ImageInput>();
        foreach (string argument in arguments)
        {
            if (File.Exists(argument))
            {
                inputs.Add(new ImageInput(argument, null));
            }
            else if (Directory.Exists(argument))
            {
                inputs.AddRange(Images(argument, "*", recursive).Select(path => new ImageInput(path, null)));
            }
            else if (argument.AsSpan().IndexOfAny('*', '?') >= 0)
            {
                string[] matches = Glob(argument);
                inputs.AddRange(matches.Length > 0 ? matches.Select(path => new ImageInput(path, null)) : [new ImageInput(argument, "no image matches this pattern")]);
            }
            else
            {
                inputs.Add(new ImageInput(argument, "does not exist"));
            }
        }

        return inputs;
    }

    /// <summary>A pattern's matches: wildcards in the file name, and <c>**</c> as the last folder for any depth.</summary>
    private static string[] Glob(string pattern)
    {
        string folder = Path.GetDirectoryName(pattern) is { Length: > 0 } f ? f : ".";
        string name = Path.GetFileName(pattern);
        bool anyDepth = Path.GetFileName(folder) == "**";
        if (anyDepth)
        {
            folder = Path.GetDirectoryName(folder) is { Length: > 0 } parent ? parent : ".";
        }

        return folder.AsSpan().IndexOfAny('*', '?') >= 0 || !Directory.Exists(folder) ? [] : [.. Images(folder, name, anyDepth)];
    }

    private static IEnumerable<string> Images(string folder, string pattern, bool recursive) =>
        Directory.EnumerateFiles(folder, pattern, recursive ? SearchOption.AllDirectories : SearchOption.TopDirectoryOnly)
            .Where(path => Extensions.Contains(Path.GetExtension(path), StringComparer.OrdinalIgnoreCase))
            .Order(StringComparer.Ordinal);
}
