using System.Globalization;

namespace EfficientNet.Sharp.IO;

/// <summary>
/// The checks before a file is read as data: it exists, it is a regular file (a device such as <c>/dev/zero</c>,
/// a FIFO or a socket could be read forever), and it is no larger than the format's documented cap.
/// </summary>
internal static class InputFile
{
    /// <summary>TFLite files are FlatBuffers, which address at most 2 GiB.</summary>
    public const long MaxTfLiteBytes = int.MaxValue;

    /// <summary>An ONNX model without external data is one protobuf message, which is at most 2 GiB.</summary>
    public const long MaxOnnxBytes = int.MaxValue;

    /// <summary>A class-names file: ImageNet-21k's 21,843 names take 400 KB; 16 MiB is far beyond any real list.</summary>
    public const long MaxLabelsBytes = 16L * 1024 * 1024;

    /// <summary>Throws unless <paramref name="path"/> names a regular file (through links) of at most <paramref name="maxBytes"/>.</summary>
    /// <param name="path">The file.</param>
    /// <param name="what">What it is, for messages ("TFLite file", "labels file").</param>
    /// <param name="maxBytes">The cap; null for none.</param>
    /// <exception cref="FileNotFoundException">Nothing is there.</exception>
    /// <exception cref="InvalidDataException">It is a directory, device, FIFO or socket, or larger than the cap.</exception>
    public static void Check(string path, string what, long? maxBytes = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        FileEntryKind kind = FileStatus.TargetKindOf(path);
        switch (kind)
        {
            case FileEntryKind.Absent:
                throw new FileNotFoundException($"{Capitalized(what)} '{path}' does not exist.", path);
            case FileEntryKind.Directory:
                throw new InvalidDataException($"{Capitalized(what)} '{path}' is a directory, not a file.");
            case FileEntryKind.Special:
                throw new InvalidDataException($"{Capitalized(what)} '{path}' is a device, FIFO or socket, not a regular file; only regular files are read.");
            case FileEntryKind.RegularFile:
            case FileEntryKind.SymbolicLink:
                break;
            default:
                throw new InvalidOperationException($"Unhandled file entry kind {kind}.");
        }

        if (maxBytes is long cap && new FileInfo(path).Length is long length && length > cap)
        {
            throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture, $"{Capitalized(what)} '{path}' is {length:N0} bytes, over the {cap:N0}-byte limit for a {what}."));
        }
    }

    private static string Capitalized(string what) => char.ToUpperInvariant(what[0]) + what[1..];
}
