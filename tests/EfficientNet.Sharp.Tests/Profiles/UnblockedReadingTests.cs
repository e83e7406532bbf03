using EfficientNet.Sharp.Models;
using EfficientNet.Sharp.Profiles;
using EfficientNet.Sharp.Specs;

namespace EfficientNet.Sharp.Tests.Profiles;

/// <summary>
/// An unblocked convolution (channels off the blocked layout's multiple) pays, inside a network, for reading its weights
/// at the profile's memory rate on top of its time alone; no other kernel does, and a profile without the rate predicts
/// as before.
/// </summary>
public class UnblockedReadingTests
{
    private const int FloatBytes = 4;
    private static readonly WeightStreaming Rate = new() { CacheMegabytes = 1000, GigabytesPerSecond = 2 };

    /// <summary>A one-thread profile whose runtime blocks convolutions at multiples of 4 (and below 16 channels), without calibration networks.</summary>
    private static DeviceProfile Blocking() => SyntheticProfiles.PowerLaw(threads: 1) with { BlockedLayoutChannelMultiple = 4, BlockedLayoutBlock = 16 };

    private static NetworkSpec MobileNetV1(double width, int resolution) => ModelRegistry.Get("mobilenet_v1").BuildSpec(new ModelOverrides { Width = width, Resolution = resolution });

    /// <summary>MobileNetV1 at 0.67: its truncated channels (21, 42, 85, 171, 343, 686) are off 4 from the second block on.</summary>
    private static NetworkSpec Unaligned() => MobileNetV1(0.67, 128);

    [Test]
    public void UnblockedConvolutions_PayTheirWeightsAtTheMemoryRate_AndOnlyThey()
    {
        DeviceProfile without = Blocking();
        IReadOnlyList<KernelPrediction> plain = new LatencyPredictor(without).Predict(Unaligned()).Kernels;
        IReadOnlyList<KernelPrediction> reading = new LatencyPredictor(without with { WeightStreaming = Rate }).Predict(Unaligned()).Kernels;
        bool Unblocked(KernelShape shape) => shape.RunsUnblocked(without.BlockedLayoutChannelMultiple, without.BlockedLayoutBlock);

        Assert.That(plain.Count(kernel => Unblocked(kernel.Shape)), Is.GreaterThanOrEqualTo(20), "most of the network's convolutions run unblocked");
        Assert.That(plain.Count(kernel => kernel.Shape.IsConvolution && !Unblocked(kernel.Shape)), Is.GreaterThanOrEqualTo(1), "the stem runs blocked");
        Assert.Multiple(() =>
        {
            foreach ((KernelPrediction alone, KernelPrediction inside) in plain.Zip(reading))
            {
                double expected = Unblocked(alone.Shape) ? alone.Shape.Weights * FloatBytes / (Rate.GigabytesPerSecond * 1e6) : 0;
                Assert.That(inside.Milliseconds - alone.Milliseconds, Is.EqualTo(expected).Within(1e-9), alone.Part);
            }
        });
    }

    /// <summary>
    /// A calibration network of unblocked convolutions, timed on a device whose kernels cost inside a network what the
    /// predictor says (alone, unblocked ones plus their reading): the fit takes the reading off its time, so it and the
    /// family's other networks are predicted at their time. Counted as scaled time instead, the reading would raise the
    /// family's scale.
    /// </summary>
    [Test]
    public void ACalibrationNetworkOfUnblockedConvolutions_IsFittedWithoutItsReading()
    {
        DeviceProfile device = Blocking() with { WeightStreaming = Rate };
        var truth = new LatencyPredictor(device);
        (double Width, int Resolution)[] timed = [(0.67, 128), (0.5, 160)];
        CalibrationNetwork[] calibration = [.. timed.Select(network =>
            new CalibrationNetwork("mobilenet_v1", network.Width, null, network.Resolution, truth.Predict(MobileNetV1(network.Width, network.Resolution)).Milliseconds))];
        var calibrated = new LatencyPredictor(device with { Calibration = calibration });

        Assert.Multiple(() =>
        {
            foreach (NetworkSpec spec in timed.Append((Width: 1.0, Resolution: 224)).Select(network => MobileNetV1(network.Width, network.Resolution)))
            {
                Assert.That(calibrated.Predict(spec).Milliseconds / truth.Predict(spec).Milliseconds, Is.EqualTo(1).Within(1e-6), $"MobileNetV1 at {spec.Resolution} px");
            }
        });
    }

    /// <summary>A network of aligned channels (MobileNetV1 at 0.5: 16, 32 … 512) predicts the same with the rate and without, under the cache.</summary>
    [Test]
    public void AnAlignedNetworkUnderTheCache_IsPredictedAsWithoutTheRate()
    {
        NetworkSpec aligned = MobileNetV1(0.5, 128);

        Assert.That(
            new LatencyPredictor(Blocking() with { WeightStreaming = Rate }).Predict(aligned).Milliseconds,
            Is.EqualTo(new LatencyPredictor(Blocking()).Predict(aligned).Milliseconds));
    }
}
