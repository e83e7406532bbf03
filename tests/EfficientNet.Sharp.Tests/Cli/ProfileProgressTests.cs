using EfficientNet.Sharp.Cli.Commands;
using EfficientNet.Sharp.OnnxRuntime;

namespace EfficientNet.Sharp.Tests.Cli;

/// <summary><c>effnet profile-device</c>'s progress in a log: a line every tenth, also after the plan grows.</summary>
public class ProfileProgressTests
{
    [Test]
    public void InALog_ALineEveryTenth_CountingAgainWhenThePlanGrows()
    {
        var log = new StringWriter();
        var progress = new ProfileProgress(new EfficientNet.Sharp.Cli.Errors.Diagnostics(log, isTerminal: false), System.Diagnostics.Stopwatch.StartNew());

        // An int8 profile: 100 timings probe the channel multiple, then the suite plans 1,000 more.
        for (int done = 0; done < 100; done++)
        {
            progress.Report(new ProfilingProgress(done, 100, "channel multiple"));
        }

        for (int done = 100; done < 1100; done++)
        {
            progress.Report(new ProfilingProgress(done, 1100, "suite"));
        }

        string[] lines = log.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        Assert.That(lines.Count(line => line.EndsWith("channel multiple", StringComparison.Ordinal)), Is.EqualTo(10));
        Assert.That(lines.Count(line => line.EndsWith("suite", StringComparison.Ordinal)), Is.EqualTo(10), string.Join("\n", lines));
        Assert.That(lines[^1], Does.StartWith("profiling: 990/1100 timings (90%"));
    }
}
