namespace EfficientNet.Sharp.Weights;

/// <summary>Settings of a <see cref="WeightCache"/>; anything left null comes from the environment or the defaults.</summary>
public sealed record WeightCacheOptions
{
    /// <summary>Where downloaded files are kept; default: <c>$EFFICIENTNET_SHARP_CACHE</c>, else the XDG cache folder (<c>~/.cache/efficientnet-sharp</c>).</summary>
    public string? Folder { get; init; }

    /// <summary>Never download; default: true when <c>EFFICIENTNET_SHARP_OFFLINE</c> is 1 or true.</summary>
    public bool? Offline { get; init; }

    /// <summary>
    /// One base address for every file (a mirror); default: <c>$EFFICIENTNET_SHARP_WEIGHTS_URL</c>, else
    /// each publisher's own address. A file's address is the base plus its file name.
    /// </summary>
    public Uri? BaseAddress { get; init; }

    /// <summary>More folders to look in before downloading; default: PyTorch's hub checkpoint folder, so torchvision files a user already has are used.</summary>
    public IReadOnlyList<string>? SearchFolders { get; init; }

    /// <summary>The client to download with; a shared one when omitted.</summary>
    public HttpClient? HttpClient { get; init; }

    /// <summary>Attempts per download when the network fails transiently (default 3).</summary>
    public int MaxAttempts { get; init; } = 3;

    /// <summary>Wait before the first retry; it doubles for each further one (default 1 second).</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How long to wait for another process that is downloading the same file (default 30 minutes).</summary>
    public TimeSpan LockTimeout { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary>
    /// How long a download may wait for the next bytes (or for the response) before the attempt counts as
    /// stalled and is retried (default 60 seconds). The whole transfer may take longer.
    /// </summary>
    public TimeSpan ReadTimeout { get; init; } = TimeSpan.FromSeconds(60);
}
