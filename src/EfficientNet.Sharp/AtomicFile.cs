using System.Globalization;

namespace EfficientNet.Sharp;

/// <summary>Writes a file so that it appears complete or not at all: into a temporary file beside it, then renamed over the target.</summary>
internal static class AtomicFile
{
    /// <exception cref="IOException">The folder does not exist or cannot be written; no file is left behind.</exception>
    public static void Write(string path, Action<Stream> write)
    {
        string folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        if (!Directory.Exists(folder))
        {
            throw new DirectoryNotFoundException($"Cannot write '{path}': the folder '{folder}' does not exist.");
        }

        string temporary = $"{path}.{Environment.ProcessId.ToString(CultureInfo.InvariantCulture)}.{Guid.NewGuid():N}.tmp";
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, path, overwrite: true);
        }
        catch (UnauthorizedAccessException exception)
        {
            throw new IOException($"Cannot write '{path}': {exception.Message}", exception);
        }
        finally
        {
            File.Delete(temporary);
        }
    }
}
