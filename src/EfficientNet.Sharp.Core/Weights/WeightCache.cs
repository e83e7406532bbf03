using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using EfficientNet.Sharp.IO;

namespace EfficientNet.Sharp.Weights;

/// <summary>
/// Finds published checkpoints on disk or downloads them, verified. A file only ever appears under
/// its final name after its SHA-256 has been checked: downloads go to a temporary file in the cache
/// folder and are renamed atomically, so an exception, a cancellation or a killed process leaves no
/// partial or unverified file behind under that name. Processes that ask for the same file at once
/// take turns through a lock file, so one downloads and the others use its result.
/// <para>
/// The cache only ever writes, replaces or deletes files inside its folder, under bare file names
/// (<see cref="PretrainedWeights.FileName"/> refuses anything else when the record is made), and only files it can prove it wrote: its own
/// temporary <c>.partial</c> files, and a downloaded file whose content still has the SHA-256 recorded in
/// the <c>NAME.sha256</c> note written with it. Any other file under a checkpoint's name that does not
/// match the expected hash is left in place, and the call fails saying so.
/// </para>
/// </summary>
public sealed partial class WeightCache
{
    /// <summary>Environment variable naming the cache folder.</summary>
    public const string FolderVariable = "EFFICIENTNET_SHARP_CACHE";

    /// <summary>Environment variable that, set to 1 or true, forbids downloads.</summary>
    public const string OfflineVariable = "EFFICIENTNET_SHARP_OFFLINE";

    /// <summary>Environment variable naming a mirror's base address for every file.</summary>
    public const string BaseAddressVariable = "EFFICIENTNET_SHARP_WEIGHTS_URL";

    private static readonly HttpClient SharedClient = new() { Timeout = TimeSpan.FromMinutes(30) };

    private static readonly TimeSpan LockWaitReportInterval = TimeSpan.FromSeconds(5);

    private static readonly IReadOnlyDictionary<WeightSource, Uri> PublisherAddresses = new Dictionary<WeightSource, Uri>
    {
        [WeightSource.Torchvision] = new("https://download.pytorch.org/models/"),
        [WeightSource.Lukemelas] = new("https://github.com/lukemelas/EfficientNet-PyTorch/releases/download/1.0/"),
    };

    private readonly WeightCacheOptions options;
    private readonly HttpClient client;

    /// <summary>Creates a cache.</summary>
    /// <param name="options">Settings; environment variables and defaults fill what is not set.</param>
    public WeightCache(WeightCacheOptions? options = null)
    {
        this.options = options ?? new WeightCacheOptions();
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(this.options.MaxAttempts, nameof(options));
        if (this.options.ReadTimeout <= TimeSpan.Zero || this.options.LockTimeout < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(options), "ReadTimeout must be positive and LockTimeout not negative.");
        }

        Folder = Path.GetFullPath(this.options.Folder ?? DefaultFolder);
        Offline = this.options.Offline ?? Environment.GetEnvironmentVariable(OfflineVariable) is "1" or "true" or "TRUE" or "True";
        BaseAddress = this.options.BaseAddress ?? (Environment.GetEnvironmentVariable(BaseAddressVariable) is { Length: > 0 } mirror ? new Uri(mirror.EndsWith('/') ? mirror : mirror + "/") : null);
        SearchFolders = this.options.SearchFolders ?? [TorchHubFolder];
        client = this.options.HttpClient ?? SharedClient;
    }

    /// <summary>The default cache folder: <c>$EFFICIENTNET_SHARP_CACHE</c>, else <c>$XDG_CACHE_HOME/efficientnet-sharp</c>, else <c>~/.cache/efficientnet-sharp</c> (the local application data folder on Windows).</summary>
    public static string DefaultFolder =>
        Environment.GetEnvironmentVariable(FolderVariable) is { Length: > 0 } configured
            ? configured
            : Path.Combine(UserCacheFolder, "efficientnet-sharp");

    /// <summary>PyTorch's hub checkpoint folder: <c>$TORCH_HOME/hub/checkpoints</c>, with TORCH_HOME defaulting to <c>$XDG_CACHE_HOME/torch</c> or <c>~/.cache/torch</c>.</summary>
    public static string TorchHubFolder =>
        Path.Combine(Environment.GetEnvironmentVariable("TORCH_HOME") is { Length: > 0 } torchHome ? torchHome : Path.Combine(UserCacheFolder, "torch"), "hub", "checkpoints");

    /// <summary>Where this cache keeps files.</summary>
    public string Folder { get; }

    /// <summary>Whether downloads are forbidden.</summary>
    public bool Offline { get; }

    /// <summary>The mirror used for every file, or <see langword="null"/> for each publisher's own address.</summary>
    public Uri? BaseAddress { get; }

    /// <summary>Other folders searched before downloading.</summary>
    public IReadOnlyList<string> SearchFolders { get; }

    private static string UserCacheFolder =>
        Environment.GetEnvironmentVariable("XDG_CACHE_HOME") is { Length: > 0 } xdg ? xdg
        : OperatingSystem.IsWindows() ? Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData)
        : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache");

    /// <summary>The address a file is downloaded from.</summary>
    /// <param name="weights">The checkpoint.</param>
    /// <returns>Base address plus file name.</returns>
    /// <exception cref="InvalidOperationException">A custom checkpoint and no base address configured.</exception>
    public Uri AddressOf(PretrainedWeights weights)
    {
        ArgumentNullException.ThrowIfNull(weights);
        Uri baseAddress = BaseAddress ?? PublisherAddresses.GetValueOrDefault(weights.Source)
            ?? throw new InvalidOperationException($"'{weights.Name}' has no publisher address: set {nameof(WeightCacheOptions.BaseAddress)} or {BaseAddressVariable}.");
        return new Uri(baseAddress, Uri.EscapeDataString(weights.FileName));
    }

    /// <summary>A verified copy already on disk (in the cache or a search folder), or <see langword="null"/>.</summary>
    /// <param name="weights">The checkpoint.</param>
    /// <param name="cancellationToken">Stops hashing.</param>
    /// <returns>Its path, or null.</returns>
    public async Task<string?> TryFindAsync(PretrainedWeights weights, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(weights);
        foreach (string folder in SearchFolders.Prepend(Folder))
        {
            string candidate = Path.Combine(folder, weights.FileName);
            if (File.Exists(candidate) && await HashMatchesAsync(candidate, weights.Sha256, cancellationToken).ConfigureAwait(false))
            {
                return candidate;
            }
        }

        return null;
    }

    /// <summary>Returns a verified local copy of a checkpoint, downloading it first if needed.</summary>
    /// <param name="weights">The checkpoint.</param>
    /// <param name="progress">Receives download progress.</param>
    /// <param name="cancellationToken">Stops waiting, hashing or downloading; nothing partial is left under the final name.</param>
    /// <returns>The file's path.</returns>
    /// <exception cref="FileNotFoundException">Offline and not on disk; the message says which file to place where.</exception>
    /// <exception cref="InvalidDataException">The download's SHA-256 differs from the catalog's, and nothing was kept; or a file the cache did not write holds the name with another hash, and it was left in place.</exception>
    /// <exception cref="HttpRequestException">The server refused the file, or the network failed (or stalled for <see cref="WeightCacheOptions.ReadTimeout"/>) on every attempt.</exception>
    /// <exception cref="TimeoutException">Another process held the file's lock longer than <see cref="WeightCacheOptions.LockTimeout"/>.</exception>
    public async Task<string> GetAsync(PretrainedWeights weights, IProgress<DownloadProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(weights);
        if (await TryFindAsync(weights, cancellationToken).ConfigureAwait(false) is { } found)
        {
            return found;
        }

        string target = Path.Combine(Folder, weights.FileName);
        if (Offline)
        {
            throw new FileNotFoundException(
                $"'{weights.FileName}' is not cached and downloads are off ({OfflineVariable}). Place the file (SHA-256 {weights.Sha256}{(weights.HasFullSha256 ? "" : "…")}) in {Folder} or {string.Join(" or ", SearchFolders)}; it can be downloaded from {AddressOf(weights)}.",
                target);
        }

        Directory.CreateDirectory(Folder);
        await using FileStream lockFile = await AcquireLockAsync(target + ".lock", weights.FileName, progress, cancellationToken).ConfigureAwait(false);

        // Another process may have finished the download while this one waited for the lock.
        if (File.Exists(target))
        {
            string digest = await DigestAsync(target, cancellationToken).ConfigureAwait(false);
            if (Matches(digest, weights.Sha256))
            {
                return target;
            }

            if (!DownloadRecord.Proves(target, digest))
            {
                throw new InvalidDataException(
                    $"'{target}' has SHA-256 {digest}, not the expected {weights.Sha256}{(weights.HasFullSha256 ? "" : "…")}, and this cache did not write it (or it has changed since), so it was left in place. Move or delete it, then try again.");
            }

            File.Delete(target);
        }

        // Holding the lock, a temporary file of this name (the pattern only this class writes) belongs to a
        // process that died mid-download.
        foreach (string stale in Directory.EnumerateFiles(Folder, "*.partial").Where(f => IsTemporaryOf(Path.GetFileName(f), weights.FileName)))
        {
            File.Delete(stale);
        }

        await DownloadWithRetriesAsync(weights, target, progress, cancellationToken).ConfigureAwait(false);
        return target;
    }

    /// <summary>Synchronous <see cref="GetAsync"/>.</summary>
    /// <param name="weights">The checkpoint.</param>
    /// <param name="progress">Receives download progress.</param>
    /// <param name="cancellationToken">Stops the operation.</param>
    /// <returns>The file's path.</returns>
    public string Get(PretrainedWeights weights, IProgress<DownloadProgress>? progress = null, CancellationToken cancellationToken = default) =>
        GetAsync(weights, progress, cancellationToken).GetAwaiter().GetResult();

    /// <summary>Whether a file's SHA-256 starts with (or equals) the expected hex digits, compared as torch.hub does.</summary>
    /// <param name="path">The file.</param>
    /// <param name="expected">Full digest or prefix, hex.</param>
    /// <param name="cancellationToken">Stops hashing.</param>
    /// <returns>True when it matches.</returns>
    public static async Task<bool> HashMatchesAsync(string path, string expected, CancellationToken cancellationToken = default) =>
        Matches(await DigestAsync(path, cancellationToken).ConfigureAwait(false), expected);

    private static async Task<string> DigestAsync(string path, CancellationToken cancellationToken)
    {
        await using FileStream stream = File.OpenRead(path);
        return Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, cancellationToken).ConfigureAwait(false));
    }

    private static bool Matches(string digest, string expected) => digest.StartsWith(expected.ToLowerInvariant(), StringComparison.Ordinal);

    /// <summary>Whether <paramref name="name"/> is one of the temporary files <see cref="DownloadOnceAsync"/> writes for <paramref name="fileName"/>.</summary>
    private static bool IsTemporaryOf(string name, string fileName) =>
        name.StartsWith(fileName + ".", StringComparison.Ordinal) && TemporarySuffix().IsMatch(name[fileName.Length..]);

    [GeneratedRegex(@"^\.[0-9]+\.[0-9a-f]{32}\.partial$")]
    private static partial Regex TemporarySuffix();

    private async Task<FileStream> AcquireLockAsync(string path, string fileName, IProgress<DownloadProgress>? progress, CancellationToken cancellationToken)
    {
        var waited = Stopwatch.StartNew();
        TimeSpan nextReport = TimeSpan.Zero;
        while (true)
        {
            try
            {
                // FileShare.None is an exclusive lock (flock on Unix); the OS drops it if the process dies.
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (waited.Elapsed < options.LockTimeout)
            {
                // Another process is downloading this file: say so at once, then every few seconds.
                if (waited.Elapsed >= nextReport)
                {
                    progress?.Report(new DownloadProgress(fileName, 0, null) { WaitingForLock = waited.Elapsed });
                    nextReport = waited.Elapsed + LockWaitReportInterval;
                }

                await Task.Delay(TimeSpan.FromMilliseconds(100), cancellationToken).ConfigureAwait(false);
            }
            catch (IOException exception)
            {
                throw new TimeoutException($"Another process has held '{path}' for over {options.LockTimeout} while downloading '{fileName}'; if no process is downloading it, the file system does not release its locks.", exception);
            }
        }
    }

    private async Task DownloadWithRetriesAsync(PretrainedWeights weights, string target, IProgress<DownloadProgress>? progress, CancellationToken cancellationToken)
    {
        Uri address = AddressOf(weights);
        TimeSpan delay = options.RetryDelay;
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                await DownloadOnceAsync(weights, address, target, progress, cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (Exception exception) when (attempt < options.MaxAttempts && IsTransient(exception, cancellationToken))
            {
                await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
                delay *= 2;
            }
            catch (Exception exception) when (IsTransient(exception, cancellationToken))
            {
                throw new HttpRequestException($"Downloading {address} failed after {attempt} attempt{(attempt == 1 ? "" : "s")}: {exception.Message}", exception);
            }
        }
    }

    private async Task DownloadOnceAsync(PretrainedWeights weights, Uri address, string target, IProgress<DownloadProgress>? progress, CancellationToken cancellationToken)
    {
        // A partial download of a process that was killed is removed here; one of a live process is its own.
        AtomicFile.RemoveStaleTemporaries(target, ".partial");
        string temporary = AtomicFile.TemporaryName(target, ".partial");
        long received = 0;

        // HttpClient.Timeout ends at the response headers (ResponseHeadersRead); a server that then stops
        // sending would block a read forever. This token is re-armed before each wait on the network.
        using var idle = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        try
        {
            idle.CancelAfter(options.ReadTimeout);
            using HttpResponseMessage response = await client.GetAsync(address, HttpCompletionOption.ResponseHeadersRead, idle.Token).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                throw new HttpRequestException($"Downloading {address} failed: the server answered {(int)response.StatusCode} {response.ReasonPhrase}.", null, response.StatusCode);
            }

            long? total = response.Content.Headers.ContentLength;
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            await using (Stream source = await response.Content.ReadAsStreamAsync(idle.Token).ConfigureAwait(false))
            await using (var destination = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true))
            {
                byte[] buffer = new byte[1 << 16];
                long reported = 0;
                int read;
                while (true)
                {
                    idle.CancelAfter(options.ReadTimeout);
                    read = await source.ReadAsync(buffer, idle.Token).ConfigureAwait(false);
                    if (read == 0)
                    {
                        break;
                    }

                    hash.AppendData(buffer, 0, read);
                    await destination.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                    received += read;
                    if (received - reported >= 1 << 20)
                    {
                        progress?.Report(new DownloadProgress(weights.FileName, received, total));
                        reported = received;
                    }
                }

                if (total is long expectedLength && received != expectedLength)
                {
                    throw new IOException($"The download of {address} ended after {received} of {expectedLength} bytes.");
                }

                progress?.Report(new DownloadProgress(weights.FileName, received, total));
                await destination.FlushAsync(cancellationToken).ConfigureAwait(false);
            }

            string digest = Convert.ToHexStringLower(hash.GetHashAndReset());
            if (!Matches(digest, weights.Sha256))
            {
                throw new InvalidDataException($"The download of {address} has SHA-256 {digest}, but '{weights.Name}' expects {weights.Sha256}{(weights.HasFullSha256 ? "" : "…")}; the file was discarded.");
            }

            // The record first: a file under the final name always has one proving the cache wrote it.
            DownloadRecord.Write(target, digest);
            File.Move(temporary, target, overwrite: false);
        }
        catch (OperationCanceledException exception) when (idle.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new IOException($"The download of {address} stalled: no data for {options.ReadTimeout.TotalSeconds:0.#} s after {received:N0} bytes.", exception);
        }
        finally
        {
            if (File.Exists(temporary))
            {
                File.Delete(temporary);
            }
        }
    }

    private static bool IsTransient(Exception exception, CancellationToken cancellationToken) => exception switch
    {
        HttpRequestException { StatusCode: null } => true,
        HttpRequestException { StatusCode: HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests } => true,
        HttpRequestException { StatusCode: { } status } => (int)status >= 500,
        IOException => true,
        TaskCanceledException => !cancellationToken.IsCancellationRequested,
        _ => false,
    };
}
