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
        Assert.That(summary.Reports, Has.Length.EqualTo(6));
        Assert.That(summary.Reports.All(r => r.Success), Is.True);
        Assert.That(summary.Reports.Select(r => r.ResultStatistics!.Mean), Is.All.GreaterThan(0));
    }
}
