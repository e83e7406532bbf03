using EfficientNet.Sharp.Analysis;
using EfficientNet.Sharp.Models;
using EfficientNet.Sharp.OnnxRuntime;
using EfficientNet.Sharp.Profiles;
using EfficientNet.Sharp.Specs;

namespace EfficientNet.Sharp.Tests.Profiles;

/// <summary>
/// Weight streaming (<see cref="WeightStreaming"/>): a network of more weights than the caches keep reads them from
/// memory on every run, which its kernels timed alone do not. The probe's rule, the floor it puts under the kernels
/// of such a network, the calibration fitted with that floor, and the probe on this machine against its caches.
/// </summary>
public class WeightStreamingTests
{
    private const int FloatBytes = 4;

    private static NetworkSpec Spec(string model, double? width, double? depth, int resolution) =>
        ModelRegistry.Get(model).BuildSpec(new ModelOverrides { Width = width, Depth = depth, Resolution = resolution });

    private static double WeightMegabytes(NetworkSpec spec) => NetworkAnalyzer.Analyze(spec).ParameterBytes / 1e6;

    /// <summary>Rates shaped as this machine's (docs/device-fit.md): cached up to 12 MB, 45 GB/s past it, memory from 24 MB.</summary>
    [Test]
    public void TheProbe_TakesTheLargestCachedSize_AndTheMedianRateFarBeyondIt()
    {
        double[] rates = [82, 80, 79, 81, 78, 69, 45, 31, 26, 22, 20, 21];
        Assert.That(DeviceProfiler.WeightProbeMegabytes, Has.Length.EqualTo(rates.Length), "one rate per probed size");

        WeightStreaming streaming = DeviceProfiler.WeightStreamingOf(rates);

        Assert.That(streaming.CacheMegabytes, Is.EqualTo(12), "69 GB/s is at least 3/4 of the 80 GB/s of the sizes up to 4 MB; 45 is not");
        Assert.That(streaming.GigabytesPerSecond, Is.EqualTo(21), "the median of the rates from 48 MB (4 × 12) up: 22, 20, 21");
    }

    /// <summary>A device whose rate never falls (caches larger than the probe reaches) keeps every probed size: nothing streams below it.</summary>
    [Test]
    public void TheProbe_WithNoEdge_TakesTheLargestSizeAsCached()
    {
        double[] rates = [60, 61, 59, 60, 62, 58, 60, 61, 59, 60, 57, 58];

        WeightStreaming streaming = DeviceProfiler.WeightStreamingOf(rates);

        Assert.That(streaming.CacheMegabytes, Is.EqualTo(DeviceProfiler.WeightProbeMegabytes[^1]));
        Assert.That(streaming.GigabytesPerSecond, Is.EqualTo(58), "no size lies four times beyond the cache: the largest size's rate");
    }

    /// <summary>A profile whose caches hold every network predicts exactly as one without weight streaming.</summary>
    [Test]
    public void ANetworkTheCachesHold_IsPredictedAsWithout()
    {
        DeviceProfile without = SyntheticProfiles.PowerLaw(threads: 1);
        DeviceProfile holding = without with { WeightStreaming = new WeightStreaming { CacheMegabytes = 1000, GigabytesPerSecond = 0.001 } };
        NetworkSpec spec = Spec("mobilenet_v3_large", 1.4, null, 96);

        Assert.That(new LatencyPredictor(holding).Predict(spec).Milliseconds, Is.EqualTo(new LatencyPredictor(without).Predict(spec).Milliseconds));
    }

    /// <summary>In a network of more weights than the cache, no kernel is predicted faster than reading its weights from memory.</summary>
    [Test]
    public void ANetworkOfMoreWeightsThanTheCache_HasNoKernelFasterThanReadingItsWeights()
    {
        var streaming = new WeightStreaming { CacheMegabytes = 8, GigabytesPerSecond = 2 };
        DeviceProfile profile = SyntheticProfiles.PowerLaw(threads: 1) with { WeightStreaming = streaming };
        NetworkSpec spec = Spec("mobilenet_v3_large", 1.4, null, 96);
        Assert.That(WeightMegabytes(spec), Is.GreaterThan(streaming.CacheMegabytes), "the network outgrows the cache");

        LatencyPrediction prediction = new LatencyPredictor(profile).Predict(spec);
        LatencyPrediction cached = new LatencyPredictor(SyntheticProfiles.PowerLaw(threads: 1)).Predict(spec);

        Assert.Multiple(() =>
        {
            foreach (KernelPrediction kernel in prediction.Kernels)
            {
                Assert.That(kernel.Milliseconds, Is.GreaterThanOrEqualTo(kernel.Shape.Weights * FloatBytes / (streaming.GigabytesPerSecond * 1e6)).Within(1e-12), kernel.Part);
            }

            Assert.That(prediction.Milliseconds, Is.GreaterThan(cached.Milliseconds * 1.2), "on 96 px maps the reading outlasts many kernels");
        });
    }

    /// <summary>
    /// A device whose networks cost their kernels' time alone, but no kernel of a network heavier than the cache less than
    /// reading its weights: calibration networks timed so. The calibration fitted with the floor gives them and the
    /// widest networks at 96 px back within 5 %; fitted as if weights were cached (the profile without the
    /// measurement), the heavy networks on small maps come out far faster than they run.
    /// </summary>
    [Test]
    public void TheCalibration_FittedWithTheFloor_GivesStreamingNetworksTheirTime()
    {
        var streaming = new WeightStreaming { CacheMegabytes = 16, GigabytesPerSecond = 2 };
        DeviceProfile bare = SyntheticProfiles.PowerLaw(threads: 1);
        double Truth(NetworkSpec spec)
        {
            IReadOnlyList<KernelPrediction> alone = new LatencyPredictor(bare).Predict(spec).Kernels;
            bool streams = WeightMegabytes(spec) > streaming.CacheMegabytes;
            return alone.Sum(kernel => streams ? Math.Max(kernel.Milliseconds, kernel.Shape.Weights * FloatBytes / (streaming.GigabytesPerSecond * 1e6)) : kernel.Milliseconds);
        }

        CalibrationNetwork[] calibration = [.. KernelSuite.CalibrationDesign().Select(network =>
            new CalibrationNetwork(network.Model, network.Width, network.Depth, network.Resolution, Truth(Spec(network.Model, network.Width, network.Depth, network.Resolution))))];
        Assert.That(calibration.Count(network => WeightMegabytes(network.BuildSpec()!) > streaming.CacheMegabytes), Is.InRange(2, calibration.Length - 2), "some calibration networks stream, some do not");
        var withFloor = new LatencyPredictor(bare with { Calibration = calibration, WeightStreaming = streaming });
        var cachedFit = new LatencyPredictor(bare with { Calibration = calibration });

        NetworkSpec[] checkedSpecs =
        [
            .. calibration.Select(network => network.BuildSpec()!),
            Spec("mobilenet_v3_large", 1.4, null, 96), Spec("mobilenet_v2", 1.4, null, 96), Spec("mobilenet_v1", 1.4, null, 96),
            Spec("efficientnet_b0", 1.4, 2.0, 96), Spec("efficientnet_lite4", null, null, 96), Spec("efficientnet_b0", 0.7, 2.14, 160),
        ];
        Assert.Multiple(() =>
        {
            foreach (NetworkSpec spec in checkedSpecs)
            {
                Assert.That(withFloor.Predict(spec).Milliseconds / Truth(spec), Is.EqualTo(1).Within(0.05), $"{spec.Family} at {spec.Resolution} px, {WeightMegabytes(spec):0} MB");
            }

            NetworkSpec corner = Spec("mobilenet_v3_large", 1.4, null, 96);
            Assert.That(cachedFit.Predict(corner).Milliseconds / Truth(corner), Is.LessThan(0.9), "the test can tell: without the floor the corner is under-predicted");
        });
    }

    /// <summary>
    /// The probe on this machine, through ONNX Runtime: the cache it finds is no larger than the last-level cache the
    /// operating system reports (an independent fact; a probe that mistook the rate's noise for a cache edge, or read
    /// sizes wrong, would find more), and memory is read at a rate of the order of a DRAM channel's. Order only: a test
    /// shares the machine with other tests (DeviceProfilerTests).
    /// </summary>
    [Test]
    [NonParallelizable]
    public void TheProbeOnThisMachine_FindsNoMoreCacheThanTheCpuHas()
    {
        if (LastLevelCacheMegabytes() is not { } lastLevel)
        {
            Assert.Ignore("the operating system reports no level-3 cache size (/sys/devices/system/cpu/cpu0/cache)");
            return;
        }

        WeightStreaming streaming = new DeviceProfiler(threads: 1, runMilliseconds: 20).MeasureWeightStreaming(CancellationToken.None)!;

        Assert.That(streaming.CacheMegabytes, Is.InRange(1, lastLevel), $"the level-3 cache is {lastLevel:0.#} MB");
        Assert.That(streaming.GigabytesPerSecond, Is.InRange(1, 500));
    }

    [Test]
    public void AnInt8Profiler_DoesNotProbe() =>
        Assert.That(new DeviceProfiler(threads: 1) { Int8 = true }.MeasureWeightStreaming(CancellationToken.None), Is.Null);

    /// <summary>The level-3 cache in megabytes (10⁶ bytes) as Linux reports it for the first CPU, null where it does not.</summary>
    private static double? LastLevelCacheMegabytes()
    {
        const string caches = "/sys/devices/system/cpu/cpu0/cache";
        if (!Directory.Exists(caches))
        {
            return null;
        }

        foreach (string index in Directory.GetDirectories(caches, "index*"))
        {
            string level = Path.Combine(index, "level");
            string size = Path.Combine(index, "size");
            if (File.Exists(level) && File.ReadAllText(level).Trim() == "3" && File.Exists(size))
            {
                string text = File.ReadAllText(size).Trim();
                return text.EndsWith('K') ? double.Parse(text[..^1], System.Globalization.CultureInfo.InvariantCulture) * 1024 / 1e6 : null;
            }
        }

        return null;
    }
}
