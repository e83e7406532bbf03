namespace EfficientNet.Sharp.IO;

/// <summary>The checks every file the library or the tool writes goes through before anything is written.</summary>
internal static class OutputPath
{
    /// <summary>Throws unless <paramref name="path"/> is a regular file or absent: the only things an output may replace.</summary>
    /// <exception cref="IOException">It is a directory, symbolic link, device, FIFO or socket; the message says which.</exception>
    public static void CheckReplaceable(string path)
    {
        FileEntryKind kind = FileStatus.KindOf(path);
        string? what = kind switch
        {
            FileEntryKind.Absent or FileEntryKind.RegularFile => null,
            FileEntryKind.Directory => "a directory",
            FileEntryKind.SymbolicLink => $"a symbolic link (to '{new FileInfo(path).LinkTarget}')",
            FileEntryKind.Special => "a device, FIFO or socket",
            _ => throw new InvalidOperationException($"Unhandled file entry kind {kind}."),
        };
        if (what is not null)
        {
            throw new IOException($"Refusing to write '{path}': it is {what}, and only a regular file (or a new one) is ever replaced. Give the path of a file to create or replace.");
        }
    }

    /// <summary>Throws when the output would replace one of the inputs (the same path, through links, or the same inode).</summary>
    /// <param name="output">The file to be written.</param>
    /// <param name="inputs">Files read to produce it; null entries are skipped.</param>
    /// <exception cref="IOException">The output is one of the inputs; the message names both paths.</exception>
    public static void CheckNotAnInput(string output, params IEnumerable<string?> inputs)
    {
        string outputFull = Resolved(output);
        (ulong, ulong)? outputIdentity = FileStatus.IdentityOf(output);
        foreach (string input in inputs.OfType<string>())
        {
            bool samePath = string.Equals(Resolved(input), outputFull, OperatingSystem.IsWindows() || OperatingSystem.IsMacOS() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal);
            bool sameFile = outputIdentity is not null && FileStatus.IdentityOf(input) == outputIdentity;
            if (samePath || sameFile)
            {
                throw new IOException($"Refusing to write '{output}': it is the input '{input}'{(samePath ? "" : " (the same file under another name)")}, which writing would destroy. Write to another file.");
            }
        }
    }

    /// <summary>The absolute path with every symbolic link in it resolved (as far as it exists).</summary>
    private static string Resolved(string path)
    {
        string full = Path.GetFullPath(path);
        try
        {
            return new FileInfo(full).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? full;
        }
        catch (IOException)
        {
            return full;
        }
    }
}
