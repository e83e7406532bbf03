namespace EfficientNet.Sharp.Weights;

/// <summary>How far a download has got.</summary>
/// <param name="FileName">The file being downloaded.</param>
/// <param name="BytesReceived">Bytes written so far.</param>
/// <param name="TotalBytes">The file's size, when the server says.</param>
public sealed record DownloadProgress(string FileName, long BytesReceived, long? TotalBytes)
{
    /// <summary>Fraction done in [0, 1], when the size is known.</summary>
    public double? Fraction => TotalBytes is > 0 and long total ? Math.Min(1, BytesReceived / (double)total) : null;

    /// <summary>
    /// Set while the download has not started because another process holds the file's lock (it is
    /// downloading the same file): how long this call has waited so far. Reported at once, then every few
    /// seconds, until the lock is free or <see cref="WeightCacheOptions.LockTimeout"/> passes.
    /// </summary>
    public TimeSpan? WaitingForLock { get; init; }
}
