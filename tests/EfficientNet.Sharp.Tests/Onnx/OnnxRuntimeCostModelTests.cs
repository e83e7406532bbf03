using EfficientNet.Sharp.Devices;
using EfficientNet.Sharp.OnnxRuntime;
using EfficientNet.Sharp.Planning;
using EfficientNet.Sharp.Scaling;
using EfficientNet.Sharp.Specs;

namespace EfficientNet.Sharp.Tests.Onnx;

/// <summary>Device fit with ONNX Runtime as the runtime: real (small) measurements on this machine's CPU.</summary>
[NonParallelizable]
public class OnnxRuntimeCostModelTests
{
    [Test]
    public void Measure_TimesTheExportedNetworkAndCachesByArchitecture()
    {
        var model = new OnnxRuntimeCostModel(threads: 1, warmupRuns: 1, timedRuns: 3);
        NetworkSpec spec = new MobileNetV3Builder().Small().WithResolution(64).BuildSpec();

        CostMeasurement first = model.Measure(spec, 2, CancellationToken.None);
        CostMeasurement again = model.Measure(spec with { Name = "renamed" }, 2, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(first.LatencyMilliseconds, Is.GreaterThan(0));
            Assert.That(first.Details!.SamplesMilliseconds, Has.Count.EqualTo(3));
            Assert.That(first.Details.BatchSize, Is.EqualTo(2));
            Assert.That(again.Details, Is.SameAs(first.Details), "same architecture and batch: measured once");
            Assert.That(model.Description, Does.Contain("ONNX Runtime"));
            Assert.That(() => new OnnxRuntimeCostModel(0), Throws.InstanceOf<ArgumentOutOfRangeException>());
        });
    }

    [Test]
    public void DeviceFit_UsingOnnxRuntime_FindsANetworkWithinTheBudget()
    {
        var model = new OnnxRuntimeCostModel(threads: 1, warmupRuns: 1, timedRuns: 3);
        FitResult fit = DeviceFit.Using(model).AtResolution(64).SearchingPhi(-2, 0).WithinLatency(TimeSpan.FromSeconds(1)).Fit();

        Assert.That(fit.Fits, Is.True);
        Assert.That(fit.Report, Does.Contain("ONNX Runtime"));
    }

    [Test]
    public void RemeasurePair_TimesBothExportsInOneWindow_AndReplacesTheCache()
    {
        ICostModel model = new OnnxRuntimeCostModel(threads: 1, warmupRuns: 1, timedRuns: 3);
        NetworkSpec small = new MobileNetV3Builder().Small().WithResolution(64).BuildSpec();
        NetworkSpec large = new MobileNetV3Builder().WithResolution(64).BuildSpec();
        CostMeasurement alone = model.Measure(small, 1, CancellationToken.None);

        (CostMeasurement a, CostMeasurement b) = model.RemeasurePair(small, large, 1, latencyBudgetMilliseconds: 1e6, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(a.Details!.SamplesMilliseconds, Has.Count.EqualTo(3));
            Assert.That(b.Details!.SamplesMilliseconds, Has.Count.EqualTo(3));
            Assert.That(model.Measure(small, 1, CancellationToken.None).Details, Is.SameAs(a.Details), "the fair window replaces the lone one");
            Assert.That(a.PeakMemoryBytes, Is.EqualTo(alone.PeakMemoryBytes));
        });
    }
}
