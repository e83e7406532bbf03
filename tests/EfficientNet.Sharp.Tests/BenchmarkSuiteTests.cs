using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.NoEmit;
using EfficientNet.Sharp.Benchmarks;

namespace EfficientNet.Sharp.Tests;

/// <summary>The benchmark suites build (this project references them) and one suite completes a dry run.</summary>
[NonParallelizable]
public class BenchmarkSuiteTests
{
    [Test]
    [CancelAfter(180_000)]
    public void BaselineSuite_CompletesADryRun()
    {
        IConfig config = ManualConfig.CreateMinimumViable()
            .AddJob(Job.Dry.WithToolchain(InProcessNoEmitToolchain.Instance))
            .AddColumn(new ThroughputColumn(), new MultiplyAccumulateRateColumn())
            .WithOptions(ConfigOptions.DisableOptimizationsValidator)
            .WithArtifactsPath(Path.Combine(Path.GetTempPath(), $"effnet-bdn-{Guid.NewGuid():N}"));

        Summary summary = BenchmarkRunner.Run<BaselineBenchmarks>(config);

        Assert.That(summary.HasCriticalValidationErrors, Is.False);
        // Every [Benchmark] method at both batch sizes.
        int methods = typeof(BaselineBenchmarks).GetMethods().Count(m => m.IsDefined(typeof(BenchmarkDotNet.Attributes.BenchmarkAttribute), false));
        Assert.That(methods, Is.EqualTo(4));
        Assert.That(summary.Reports, Has.Length.EqualTo(methods * 2));
        Assert.That(summary.Reports.All(r => r.Success), Is.True);
        Assert.That(summary.Reports.Select(r => r.ResultStatistics!.Mean), Is.All.GreaterThan(0));
    }
}
