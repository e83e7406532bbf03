namespace EfficientNet.Sharp.Weights;

/// <summary>How far a download has got.</summary>
public sealed record DownloadProgress
{
    internal DownloadProgress(string fileName, long bytesReceived, long? totalBytes)
    {
        FileName = fileName;
        BytesReceived = bytesReceived;
        TotalBytes = totalBytes;
    }

    /// <summary>The file being downloaded.</summary>
    public string FileName { get; init; }

    /// <summary>Bytes written so far.</summary>
    public long BytesReceived { get; init; }

    /// <summary>The file's size, when the server says.</summary>
    public long? TotalBytes { get; init; }

    /// <summary>Fraction done in [0, 1], when the size is known.</summary>
    public double? Fraction => TotalBytes is > 0 and long total ? Math.Min(1, BytesReceived / (double)total) : null;

    /// <summary>
    /// Set while the download has not started because another process holds the file's lock (it is
    /// downloading the same file): how long this call has waited so far. Reported at once, then every few
    /// seconds, until the lock is free or <see cref="WeightCacheOptions.LockTimeout"/> passes.
    /// </summary>
    public TimeSpan? WaitingForLock { get; init; }
}
