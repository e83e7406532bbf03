using System.Text.RegularExpressions;

namespace EfficientNet.Sharp.Tests.Cli;

/// <summary><c>effnet --version</c>, through a real process, against the version the build declares.</summary>
public class VersionTests
{
    [Test]
    public void Version_PrintsTheDeclaredPackageVersionAndExitsZero()
    {
        ChildProcessResult result = ChildProcess.Effnet(null, "--version");

        Assert.That(result.ExitCode, Is.Zero, result.Error);
        Assert.That(result.Error, Is.Empty);
        Assert.That(result.Output.Trim(), Does.StartWith(DeclaredVersion()));
        Assert.That(result.Output.Trim().Split('\n'), Has.Length.EqualTo(1));
    }

    /// <summary>The &lt;Version&gt; of Directory.Build.props at the repository root.</summary>
    private static string DeclaredVersion()
    {
        DirectoryInfo? directory = new(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Directory.Build.props")))
        {
            directory = directory.Parent;
        }

        Assert.That(directory, Is.Not.Null, "Directory.Build.props above the test binaries");
        Match version = Regex.Match(File.ReadAllText(Path.Combine(directory!.FullName, "Directory.Build.props")), "<Version>([^<]+)</Version>");
        Assert.That(version.Success, Is.True);
        return version.Groups[1].Value;
    }
}
