namespace EfficientNet.Sharp.Tests;

/// <summary>
/// While it lives, the weight cache is an empty temporary folder and downloads are off (process-wide environment
/// variables: use it only in tests marked NonParallelizable), so a command that needs catalog weights fails saying
/// which file to put where.
/// </summary>
internal sealed class OfflineEmptyCache : IDisposable
{
    private readonly TempFolder folder = new();

    public OfflineEmptyCache()
    {
        Environment.SetEnvironmentVariable("EFFICIENTNET_SHARP_OFFLINE", "1");
        Environment.SetEnvironmentVariable("EFFICIENTNET_SHARP_CACHE", folder.Path);
    }

    /// <summary>A path in the cache folder, for a command's other output.</summary>
    public string File(string name) => folder.File(name);

    public void Dispose()
    {
        Environment.SetEnvironmentVariable("EFFICIENTNET_SHARP_OFFLINE", null);
        Environment.SetEnvironmentVariable("EFFICIENTNET_SHARP_CACHE", null);
        folder.Dispose();
    }
}
