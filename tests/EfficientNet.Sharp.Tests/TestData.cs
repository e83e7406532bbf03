namespace EfficientNet.Sharp.Tests;

/// <summary>
/// Locates the third-party test files (real PyTorch-, safetensors- and TFLite-written files) that live
/// outside the repository: the folder named by EFFICIENTNET_SHARP_TESTDATA, else <c>../shared/testdata</c>
/// next to the repository root. Where they are absent, tests that need them are skipped with a message
/// saying how to provide them; with EFFICIENTNET_SHARP_REQUIRE_TESTDATA=1 (as CI sets) they fail instead.
/// </summary>
internal static class TestData
{
    public const string FolderVariable = "EFFICIENTNET_SHARP_TESTDATA";
    public const string RequireVariable = "EFFICIENTNET_SHARP_REQUIRE_TESTDATA";

    private static readonly Lazy<string?> Folder = new(Locate);

    /// <summary>The path of a test file; skips (or fails) the test when the test data is not available.</summary>
    public static string File(params string[] parts)
    {
        string folder = Folder.Value ?? Unavailable($"the test-data folder was not found (set {FolderVariable} to it, or place it at ../shared/testdata next to the repository)");
        string path = Path.Combine([folder, .. parts]);
        return System.IO.File.Exists(path) ? path : Unavailable($"the test file '{path}' is missing");
    }

    /// <summary>
    /// The folder of Debian's <c>dataset-fashion-mnist</c> (real Fashion-MNIST); skips (or, under
    /// EFFICIENTNET_SHARP_REQUIRE_TESTDATA=1, fails) the test when it is not installed.
    /// </summary>
    public static string FashionMnistFolder()
    {
        string folder = Environment.GetEnvironmentVariable("EFFICIENTNET_SHARP_FASHION_MNIST") is { Length: > 0 } configured ? configured : Data.FashionMnist.DefaultFolder;
        return Data.FashionMnist.IsAvailable(folder) ? folder : Unavailable($"Fashion-MNIST is not in '{folder}' (apt-get install dataset-fashion-mnist, or set EFFICIENTNET_SHARP_FASHION_MNIST)");
    }

    /// <summary>
    /// A file of the shared tools next to the test data (<c>../shared/tools</c>); skips (or fails) the test
    /// when it is not there.
    /// </summary>
    public static string Tool(params string[] parts)
    {
        string folder = Folder.Value ?? Unavailable($"the test-data folder was not found (set {FolderVariable} to it, or place it at ../shared/testdata next to the repository)");
        string path = Path.GetFullPath(Path.Combine([folder, "..", "tools", .. parts]));
        return System.IO.File.Exists(path) || Directory.Exists(path) ? path : Unavailable($"the tool '{path}' is missing");
    }

    /// <summary>Skips the test with <paramref name="reason"/>, or fails it when CI requires the third-party files.</summary>
    public static string Unavailable(string reason)
    {
        string message = $"Third-party test data is needed: {reason}.";
        if (Environment.GetEnvironmentVariable(RequireVariable) == "1")
        {
            Assert.Fail(message);
        }

        Assert.Ignore(message);
        return "";
    }

    private static string? Locate()
    {
        if (Environment.GetEnvironmentVariable(FolderVariable) is { Length: > 0 } configured)
        {
            return Directory.Exists(configured) ? configured : null;
        }

        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (System.IO.File.Exists(Path.Combine(directory.FullName, "EfficientNet.Sharp.sln")))
            {
                string candidate = Path.Combine(directory.FullName, "..", "shared", "testdata");
                return Directory.Exists(candidate) ? Path.GetFullPath(candidate) : null;
            }
        }

        return null;
    }
}
