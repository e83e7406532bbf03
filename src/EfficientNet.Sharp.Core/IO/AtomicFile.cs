using System.Diagnostics;
using System.Globalization;

namespace EfficientNet.Sharp.IO;

/// <summary>
/// Writes a file so that it appears complete or not at all: into a temporary file beside it, then renamed over
/// the target. Only a regular file (or nothing) is ever replaced: a device, FIFO, socket, directory or symbolic
/// link at the path is refused and left as it was.
/// </summary>
/// <remarks>
/// Temporary files are named <c>NAME.PID.GUID.tmp</c>. One left by a process that died mid-write (killed, or
/// power lost) is removed the next time the same output is written, once no live process has that id.
/// </remarks>
internal static class AtomicFile
{
    private const string TemporarySuffix = ".tmp";

    /// <summary>Writes <paramref name="path"/> whole or not at all.</summary>
    /// <param name="path">The file to write; replaced if it is a regular file.</param>
    /// <param name="write">Writes the content.</param>
    /// <param name="cancellationToken">Checked before the rename: a cancelled write leaves the old file and no temporary one.</param>
    /// <exception cref="IOException">The path is not a regular file, its folder does not exist, or it cannot be written; nothing is left behind.</exception>
    /// <exception cref="OperationCanceledException">Cancelled; the old file is untouched.</exception>
    public static void Write(string path, Action<Stream> write, CancellationToken cancellationToken = default)
    {
        string full = Path.GetFullPath(path);
        OutputPath.CheckReplaceable(full);
        string folder = Path.GetDirectoryName(full)!;
        if (!Directory.Exists(folder))
        {
            throw new DirectoryNotFoundException($"Cannot write '{path}': the folder '{folder}' does not exist.");
        }

        RemoveStaleTemporaries(full, TemporarySuffix);
        string temporary = TemporaryName(full, TemporarySuffix);
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }

            cancellationToken.ThrowIfCancellationRequested();

            // Checked again just before the rename: the path may have become something else while the content was written.
            OutputPath.CheckReplaceable(full);
            File.Move(temporary, full, overwrite: true);
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

    /// <summary>A temporary name beside <paramref name="full"/> that says which process writes it: <c>NAME.PID.GUID</c> + suffix.</summary>
    public static string TemporaryName(string full, string suffix) =>
        $"{full}.{Environment.ProcessId.ToString(CultureInfo.InvariantCulture)}.{Guid.NewGuid():N}{suffix}";

    /// <summary>Removes the <see cref="TemporaryName"/> files beside <paramref name="full"/> whose process is gone.</summary>
    public static void RemoveStaleTemporaries(string full, string suffix)
    {
        string folder = Path.GetDirectoryName(full)!;
        string prefix = Path.GetFileName(full) + ".";
        IEnumerable<string> candidates;
        try
        {
            candidates = Directory.EnumerateFiles(folder, prefix + "*" + suffix).ToArray();
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return;
        }

        foreach (string candidate in candidates)
        {
            string[] parts = Path.GetFileName(candidate)[prefix.Length..^suffix.Length].Split('.');
            if (parts.Length == 2 && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out int processId)
                && parts[1].Length == 32 && Guid.TryParseExact(parts[1], "N", out _) && !IsRunning(processId)
                && FileStatus.KindOf(candidate) == FileEntryKind.RegularFile)
            {
                try
                {
                    File.Delete(candidate);
                }
                catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
                {
                    // Another writer may be removing it at the same moment, or it is not ours to remove.
                }
            }
        }
    }

    private static bool IsRunning(int processId)
    {
        if (processId == Environment.ProcessId)
        {
            return true;
        }

        try
        {
            using var process = Process.GetProcessById(processId);
            return !process.HasExited;
        }
        catch (Exception exception) when (exception is ArgumentException or InvalidOperationException)
        {
            return false;
        }
    }
}
