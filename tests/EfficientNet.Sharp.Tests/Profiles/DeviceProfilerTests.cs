using EfficientNet.Sharp.Models;
using EfficientNet.Sharp.OnnxRuntime;
using EfficientNet.Sharp.Profiles;
using EfficientNet.Sharp.Specs;

namespace EfficientNet.Sharp.Tests.Profiles;

/// <summary>
/// The profiler on this machine, through ONNX Runtime: a small network's own kernels, measured alone, make up its
/// prediction, which comes to the order of the whole network's time. (The ±10 % validation on held-out networks is a
/// benchmark, docs/device-fit.md. A test shares the machine with other tests and with libtorch's spinning worker
/// threads, which slowed the kernels 3× against the network in one CI run, so it checks only the order of magnitude:
/// that catches a unit or a walk gone wrong, not an inaccurate profile.)
/// </summary>
[NonParallelizable]
public class DeviceProfilerTests
{
    [Test]
    public void ANetworksKernels_AddUpToAboutTheNetwork()
    {
        NetworkSpec spec = ModelRegistry.Get("mobilenet_v2").BuildSpec(new ModelOverrides { Width = 0.5, Resolution = 96 });
        var profiler = new DeviceProfiler(threads: 2, runMilliseconds: 5);
        KernelShape[] shapes = [.. KernelWalk.Of(spec, spec.Resolution).Select(kernel => kernel.Shape).Distinct()];
        var reports = new List<ProfilingProgress>();

        DeviceProfile profile = profiler.MeasureKernels(shapes, new SynchronousProgress<ProfilingProgress>(reports.Add), CancellationToken.None);
        LatencyPrediction prediction = new LatencyPredictor(profile).Predict(spec);
        double measured = Enumerable.Range(0, 3).Min(_ => profiler.MeasureNetwork(spec).Milliseconds);

        Assert.That(profile.Device.Threads, Is.EqualTo(2));
        Assert.That(profile.Device.RuntimeVersion, Is.EqualTo(DeviceProfiler.RuntimeVersion).And.Not.Empty);
        Assert.That(int.IsPow2(profile.DepthwiseChannelMultiple), Is.True);
        Assert.That(profile.Kernels.Select(kernel => kernel.Shape), Is.EquivalentTo(shapes.Select(new ChannelAlignment(profile.DepthwiseChannelMultiple, IntegerConvolutions: false).VariantOf)));
        Assert.That(profile.Kernels, Has.All.Matches<KernelMeasurement>(kernel => kernel.Runs >= 7 && kernel.Milliseconds >= 0));
        Assert.That(prediction.Extrapolated, Is.Empty);
        Dictionary<KernelShape, double> timed = profile.Kernels.ToDictionary(kernel => kernel.Shape, kernel => kernel.Milliseconds);
        Assert.That(prediction.Kernels, Has.All.Matches<KernelPrediction>(kernel => kernel.Milliseconds == timed[kernel.Shape]), "uncalibrated, each kernel is predicted at its own measurement");
        Assert.That(prediction.Milliseconds / measured, Is.InRange(OrderOfMagnitude.Low, OrderOfMagnitude.High), $"predicted {prediction.Milliseconds:0.000} ms, measured {measured:0.000} ms");
        Assert.That(reports[^1].Done, Is.EqualTo(reports[^1].Total));
        Assert.That(reports.Select(report => report.Done), Is.Ordered);
    }

    /// <summary>
    /// <see cref="DeviceProfiler.ConfigureSession"/> reaches the session a timing runs in: it is called once for a
    /// network's timing, and a setting ONNX Runtime refuses fails that timing.
    /// </summary>
    [Test]
    public void ConfigureSession_ConfiguresTheTimingSession()
    {
        NetworkSpec spec = ModelRegistry.Get("mobilenet_v3_small").BuildSpec(new ModelOverrides { Width = 0.5, Resolution = 64 });
        int calls = 0;
        var configured = new DeviceProfiler(threads: 1, runMilliseconds: 5)
        {
            ConfigureSession = options =>
            {
                calls++;
                options.AddSessionConfigEntry("session.intra_op.allow_spinning", "0");
            },
        };
        var refused = new DeviceProfiler(threads: 2, runMilliseconds: 5) { ConfigureSession = options => options.AddSessionConfigEntry("session.intra_op_thread_affinities", "not-a-processor") };

        Assert.That(configured.MeasureNetwork(spec).Milliseconds, Is.GreaterThan(0));
        Assert.That(calls, Is.EqualTo(1));
        Assert.That(() => refused.MeasureNetwork(spec), Throws.InstanceOf<Microsoft.ML.OnnxRuntime.OnnxRuntimeException>());
    }

    /// <summary>
    /// An int8 profile times convolutions as ONNX Runtime's integer kernels (its optimised graph of each holds a
    /// QLinearConv and no float Conv), says int8, and predicts an int8 network from its kernels and its family's scale.
    /// </summary>
    [Test]
    public void Int8Profile_TimesIntegerConvolutions_AndPredictsInt8Networks()
    {
        foreach (KernelKind kind in new[] { KernelKind.PointwiseConvolution, KernelKind.DepthwiseConvolution, KernelKind.DenseConvolution })
        {
            var shape = new KernelShape(kind, kind == KernelKind.DenseConvolution ? 3 : 64, kind == KernelKind.PointwiseConvolution ? 128 : 64 / (kind == KernelKind.DepthwiseConvolution ? 1 : 2), 28, kind == KernelKind.PointwiseConvolution ? 1 : 3, 1, "");
            Assert.That(DeviceProfiler.OptimizedGraph(KernelGraph.Build(shape, int8: true)).Node.Select(node => node.OpType), Does.Contain("QLinearConv").And.Not.Contain("Conv"), shape.ToString());
            Assert.That(DeviceProfiler.OptimizedGraph(KernelGraph.Build(shape)).Node.Select(node => node.OpType), Does.Not.Contain("QLinearConv"));
        }

        NetworkSpec spec = ModelRegistry.Get("mobilenet_v2").BuildSpec(new ModelOverrides { Width = 0.5, Resolution = 96 });
        var profiler = new DeviceProfiler(threads: 2, runMilliseconds: 5) { Int8 = true };
        KernelShape[] shapes = [.. KernelWalk.Of(spec, spec.Resolution, int8: true).Select(kernel => kernel.Shape).Distinct()];
        var reports = new List<ProfilingProgress>();
        DeviceProfile profile = profiler.MeasureKernels(shapes, new SynchronousProgress<ProfilingProgress>(reports.Add), CancellationToken.None);
        LatencyPrediction prediction = new LatencyPredictor(profile).Predict(spec);

        // The channel-multiple probe's timings come first and count in the progress, which ends with all done.
        Assert.That(reports[0].Step, Does.StartWith("channel multiple:"));
        Assert.That(reports.Select(report => report.Done), Is.Ordered.And.Unique);
        Assert.That(reports[^1].Done, Is.EqualTo(reports[^1].Total));
        Assert.That(reports.Count(report => report.Step.StartsWith("channel multiple:", StringComparison.Ordinal)), Is.EqualTo(3 * ChannelMultipleChoice.Probes().Count));
        double measured = Enumerable.Range(0, 3).Min(_ => profiler.MeasureNetwork(spec).Milliseconds);

        Assert.That(profile.Device.Precision, Is.EqualTo("int8"));

        // Alone, each integer kernel pays the quantize and dequantize at its edges, which a chain of them does not:
        // uncalibrated, MobileNetV2's kernels add up to about twice the network here (docs/device-fit.md). The family's
        // calibration network is what an int8 profile scales by.
        Assert.That(prediction.Milliseconds / measured, Is.InRange(OrderOfMagnitude.Low, OrderOfMagnitude.High), $"predicted {prediction.Milliseconds:0.000} ms, measured {measured:0.000} ms (int8, uncalibrated)");
        DeviceProfile calibrated = profile with { Calibration = [new CalibrationNetwork("mobilenet_v2", 0.5, null, 96, measured)] };
        Assert.That(new LatencyPredictor(calibrated).Predict(spec).Milliseconds, Is.EqualTo(measured).Within(0.1).Percent, "the family's own scale reproduces its calibration network");
        using var folder = new TempFolder();
        profile.Save(folder.File("int8.json"));
        Assert.That(DeviceProfile.Load(folder.File("int8.json")).Device.Precision, Is.EqualTo("int8"), "an int8 profile loads");
    }

    /// <summary>How far a prediction may be from a network timed in the same test run: a tenfold either way.</summary>
    private static class OrderOfMagnitude
    {
        public const double Low = 0.1;
        public const double High = 10;
    }

    [Test]
    public void Cancelling_StopsBetweenKernels()
    {
        using var cancellation = new CancellationTokenSource();
        cancellation.Cancel();
        var profiler = new DeviceProfiler(threads: 1, runMilliseconds: 5);

        Assert.Throws<OperationCanceledException>(() => profiler.MeasureKernels([new KernelShape(KernelKind.Add, 64, 64, 1, 1, 1, "")], null, cancellation.Token));
    }

    [TestCase(0)]
    [TestCase(-1)]
    public void AThreadCountBelowOne_IsRefused(int threads)
    {
        ArgumentOutOfRangeException error = Assert.Throws<ArgumentOutOfRangeException>(() => new DeviceProfiler(threads))!;
        Assert.That(error.ParamName, Is.EqualTo("threads"));
    }
}
