using EfficientNet.Sharp.Analysis;
using EfficientNet.Sharp.Devices;
using EfficientNet.Sharp.Planning;
using EfficientNet.Sharp.Scaling;
using EfficientNet.Sharp.Specs;
using TorchSharp;

namespace EfficientNet.Sharp.Tests.Devices;

/// <summary>Real measurements on this machine's CPU: small networks, few runs. They change libtorch's thread count, so they run alone.</summary>
[NonParallelizable]
public class LatencyProfilerTests
{
    [Test]
    public void Measure_TimesTheRequestedRunsAndCachesByArchitecture()
    {
        var profiler = new LatencyProfiler(ComputeDevice.Cpu(1), warmupRuns: 1, timedRuns: 4);
        NetworkSpec spec = new EfficientNetBuilder().WithPhi(-4).BuildSpec();

        LatencyMeasurement first = profiler.Measure(spec, batchSize: 2);
        LatencyMeasurement again = profiler.Measure(spec with { Name = "renamed" }, batchSize: 2);
        LatencyMeasurement otherBatch = profiler.Measure(spec, batchSize: 1);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(first.SamplesMilliseconds, Has.Count.EqualTo(4));
            Assert.That(first.SamplesMilliseconds, Is.All.GreaterThan(0));
            Assert.That(first.MedianMilliseconds, Is.InRange(first.MinimumMilliseconds, first.MaximumMilliseconds));
            Assert.That(first.BatchSize, Is.EqualTo(2));
            Assert.That((first.InputHeight, first.InputWidth), Is.EqualTo((spec.Resolution, spec.Resolution)));
            Assert.That(again, Is.SameAs(first), "same architecture and batch: served from the cache");
            Assert.That(otherBatch, Is.Not.SameAs(first));
            Assert.That(profiler.MeasuredCount, Is.EqualTo(2));
        }
    }

    [TestCase(InferenceRuntime.Prepared, "ForInference() copies")]
    [TestCase(InferenceRuntime.Eager, "eager networks")]
    public void Runtime_IsWhatIsTimed_AndTheDescriptionSaysIt(InferenceRuntime runtime, string described)
    {
        var profiler = new LatencyProfiler(ComputeDevice.Cpu(1), warmupRuns: 0, timedRuns: 2) { Runtime = runtime };
        LatencyMeasurement measurement = profiler.Measure(new MobileNetV3Builder().Small().WithResolution(64).BuildSpec(), batchSize: 1);

        Assert.That(measurement.SamplesMilliseconds, Has.Count.EqualTo(2));
        Assert.That(profiler.Description, Does.Contain(described));
        Assert.That(new LatencyProfiler(ComputeDevice.Cpu(1)).Runtime, Is.EqualTo(InferenceRuntime.Prepared), "a deployment ships the prepared copy");
    }

    [Test]
    public void MeasureInterleaved_TimesBothInOneWindow_AndReplacesTheirCacheEntries()
    {
        var profiler = new LatencyProfiler(ComputeDevice.Cpu(1), warmupRuns: 1, timedRuns: 4);
        NetworkSpec small = new MobileNetV3Builder().Small().WithResolution(64).BuildSpec();
        NetworkSpec large = new MobileNetV3Builder().WithResolution(64).BuildSpec();
        LatencyMeasurement alone = profiler.Measure(small, batchSize: 1);

        (LatencyMeasurement first, LatencyMeasurement second) = profiler.MeasureInterleaved(small, large, batchSize: 1);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(first.SamplesMilliseconds, Has.Count.EqualTo(4));
            Assert.That(second.SamplesMilliseconds, Has.Count.EqualTo(4));
            Assert.That(profiler.Measure(small, batchSize: 1), Is.SameAs(first), "the fair window replaces the lone one");
            Assert.That(first.PeakMemoryBytes, Is.EqualTo(alone.PeakMemoryBytes), "peak memory comes from the network's own window");
            Assert.That(second.MedianMilliseconds, Is.GreaterThan(0));
        }

        // A limit far from both medians is decided at once: exactly the timed runs.
        (LatencyMeasurement farA, LatencyMeasurement farB) = profiler.MeasureInterleaved(small, large, batchSize: 1, decideAgainstMilliseconds: 1e6);
        Assert.That((farA.SamplesMilliseconds.Count, farB.SamplesMilliseconds.Count), Is.EqualTo((4, 4)));
    }

    [Test]
    public void InterleavedSampling_GoesOnWhileALimitIsInsideAnInterval()
    {
        List<double> spread = [.. Enumerable.Range(1, 10).Select(i => (double)i)];
        List<double> tight = [.. Enumerable.Repeat(20.0, 10)];
        using (Assert.EnterMultipleScope())
        {
            Assert.That(LatencyProfiler.Undecided(spread, tight, 5.5), Is.True, "5.5 ms lies inside 2–9 ms");
            Assert.That(LatencyProfiler.Undecided(spread, tight, 12), Is.False, "12 ms is clear of both");
            Assert.That(LatencyProfiler.Undecided(spread, tight, 20), Is.True, "exactly on the tight one's median");
            Assert.That(LatencyProfiler.Undecided(spread, tight, null), Is.False, "no limit, nothing to decide");
        }
    }

    [Test]
    public void Measure_RestoresLibtorchsThreadCount()
    {
        int before = torch.get_num_threads();
        var profiler = new LatencyProfiler(ComputeDevice.Cpu(before == 1 ? 2 : 1), warmupRuns: 0, timedRuns: 1);

        profiler.Measure(new EfficientNetBuilder().WithPhi(-5).BuildSpec(), 1);

        Assert.That(torch.get_num_threads(), Is.EqualTo(before));
    }

    [Test]
    public void PeakMemory_OnLinuxCoversAtLeastTheWeights()
    {
        if (!OperatingSystem.IsLinux())
        {
            Assert.Ignore("Peak memory is read from /proc, on Linux only.");
        }

        var profiler = new LatencyProfiler(ComputeDevice.Cpu(1), warmupRuns: 1, timedRuns: 2);
        NetworkSpec spec = new EfficientNetBuilder().WithResolution(96).BuildSpec();

        LatencyMeasurement measurement = profiler.Measure(spec, 1);
        NetworkAnalysis analysis = NetworkAnalyzer.Analyze(spec);

        Assert.That(measurement.PeakMemoryBytes, Is.Not.Null);
        Assert.That(measurement.PeakMemoryBytes, Is.GreaterThan(analysis.ParameterBytes / 2));
        TestContext.Out.WriteLine($"peak {measurement.PeakMemoryBytes / 1048576.0:F1} MiB; spec estimate {analysis.EstimatedInferencePeakBytes / 1048576.0:F1} MiB");
    }

    [Test]
    public void Cuda_IsRefusedClearlyWhereThereIsNone()
    {
        if (torch.cuda.is_available())
        {
            Assert.Ignore("This machine has CUDA.");
        }

        Assert.That(() => ComputeDevice.Cuda(), Throws.InvalidOperationException.With.Message.Contain("CUDA device 0 is not available"));
    }

    [Test]
    public void ThreadCount_IsValidated()
    {
        Assert.That(() => ComputeDevice.Cpu(0), Throws.InstanceOf<ArgumentOutOfRangeException>().With.Property("ParamName").EqualTo("threads"));
        Assert.That(() => new LatencyProfiler(ComputeDevice.Cpu(1), timedRuns: 0), Throws.InstanceOf<ArgumentOutOfRangeException>().With.Property("ParamName").EqualTo("timedRuns"));
        Assert.That(ComputeDevice.Cpu(3).ToString(), Is.EqualTo("cpu, 3 threads"));
    }

    [Test]
    [CancelAfter(60_000)]
    public void RealFit_WithAGenerousBudgetAtASmallResolution_ReturnsAModelThatMeetsIt()
    {
        var budget = TimeSpan.FromMilliseconds(500);
        FitResult fit = DeviceFit.OnThisMachine(threads: 2, warmupRuns: 2, timedRuns: 5)
            .AtResolution(64)
            .SearchingPhi(-3, 3)
            .WithinLatency(budget)
            .Fit();

        TestContext.Out.WriteLine(fit.Report);
        Assert.That(fit.Fits, Is.True);
        Assert.That(fit.Chosen!.Measurement!.LatencyMilliseconds, Is.LessThanOrEqualTo(budget.TotalMilliseconds));
        Assert.That(fit.Chosen.Phi, Is.EqualTo(3), "every network up to B3 at 64 px runs well inside half a second");

        // The choice comes back in the form that was timed: the prepared copy.
        Assert.That(fit.MeasuredRuntime, Is.EqualTo(InferenceRuntime.Prepared));
        using TorchSharp.torch.nn.Module<TorchSharp.torch.Tensor, TorchSharp.torch.Tensor> model = fit.BuildAsMeasured();
        Assert.That(model, Is.InstanceOf<EfficientNet.Sharp.Models.InferenceNetwork>());
        LatencyMeasurement check = new LatencyProfiler(ComputeDevice.Cpu(2), warmupRuns: 2, timedRuns: 5)
            .MeasureModule(model, [1, 3, 64, 64]);
        Assert.That(check.MedianMilliseconds, Is.LessThanOrEqualTo(budget.TotalMilliseconds));

        FitResult simulated = DeviceFit.Using(Planning.DeterministicCostModel.ProportionalToMacs()).WithinLatency(budget).Fit();
        Assert.That(simulated.MeasuredRuntime, Is.Null);
        using TorchSharp.torch.nn.Module<TorchSharp.torch.Tensor, TorchSharp.torch.Tensor> plain = simulated.BuildAsMeasured();
        Assert.That(plain, Is.InstanceOf<EfficientNet.Sharp.Models.ConvNetwork>());
    }
}
