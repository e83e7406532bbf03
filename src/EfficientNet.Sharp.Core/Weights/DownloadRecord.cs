using System.Text;
using EfficientNet.Sharp.IO;

namespace EfficientNet.Sharp.Weights;

/// <summary>
/// The note the cache keeps next to each file it downloads (<c>NAME.sha256</c>, in <c>sha256sum</c>'s
/// format, so <c>sha256sum -c</c> checks it): the full SHA-256 of what it wrote. A file whose content still
/// has that digest is provably the cache's own, and only such a file may be replaced; anything else under
/// that name (the user's file, or the cache's file changed since) is left alone.
/// </summary>
internal static class DownloadRecord
{
    public const string Suffix = ".sha256";

    public static string PathOf(string file) => file + Suffix;

    /// <summary>Writes the record for <paramref name="file"/> atomically (a temporary file, then a rename).</summary>
    public static void Write(string file, string digest) =>
        AtomicFile.Write(PathOf(file), stream => stream.Write(Encoding.ASCII.GetBytes($"{digest}  {Path.GetFileName(file)}\n")));

    /// <summary>Whether the cache wrote <paramref name="file"/> and its content is unchanged since.</summary>
    public static bool Proves(string file, string actualDigest)
    {
        string record = PathOf(file);
        if (!File.Exists(record))
        {
            return false;
        }

        string[] fields = File.ReadAllText(record, Encoding.ASCII).Split(' ', 2, StringSplitOptions.TrimEntries);
        return fields.Length == 2 && fields[0].Equals(actualDigest, StringComparison.OrdinalIgnoreCase) && fields[1] == Path.GetFileName(file);
    }
}
