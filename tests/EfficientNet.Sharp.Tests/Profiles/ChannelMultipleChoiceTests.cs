using EfficientNet.Sharp.Profiles;

namespace EfficientNet.Sharp.Tests.Profiles;

/// <summary>An int8 profile's channel multiple is the one whose grid predicts the channel counts builders make closest.</summary>
public class ChannelMultipleChoiceTests
{
    [Test]
    public void TimesProportionalToTheChannels_NeedNoMultiple()
    {
        Assert.That(ChannelMultipleChoice.Choose(Times(channels => channels)), Is.EqualTo(1));
    }

    [Test]
    public void ASlowLoopOverTheChannelsPastSixteen_GivesSixteen()
    {
        // ONNX Runtime's integer pointwise convolutions here: the channels past a multiple of 16 cost several times theirs.
        Assert.That(ChannelMultipleChoice.Choose(Times(channels => (channels / 16 * 16) + (4.0 * (channels % 16)))), Is.EqualTo(16));
    }

    [Test]
    public void ASlowerKernelOffSixtyFour_GivesSixtyFour()
    {
        // Float depthwise convolutions fall to a kernel 3–7 times slower per channel off the vector width.
        Assert.That(ChannelMultipleChoice.Choose(Times(channels => channels * (channels % 64 == 0 ? 1.0 : 3.0))), Is.EqualTo(64));
        Assert.That(ChannelMultipleChoice.Choose(Times(channels => channels * (channels % 32 == 0 ? 1.0 : 3.0))), Is.EqualTo(32));
    }

    [Test]
    public void AMissingProbe_IsRefusedNamingIt()
    {
        Dictionary<KernelShape, double> times = Times(channels => channels);
        times.Remove(ChannelMultipleChoice.Probes()[0]);

        Assert.That(() => ChannelMultipleChoice.Choose(times), Throws.ArgumentException.With.Message.Contains(ChannelMultipleChoice.Probes()[0].ToString()));
    }

    [Test]
    public void Probes_AreTimedAsTheyAre()
    {
        IReadOnlyList<KernelShape> probes = ChannelMultipleChoice.Probes();

        Assert.That(probes, Is.Unique);
        Assert.That(probes.Select(probe => probe.Variant), Has.All.Empty, "the grid's variants are labels, not graphs");
        Assert.That(probes, Has.Count.InRange(50, 200), $"{probes.Count} probes: the probe is some seconds of a profile");
    }

    /// <summary>Every probe's time from its channels, depthwise and pointwise alike, scaled by its map's pixels.</summary>
    private static Dictionary<KernelShape, double> Times(Func<int, double> perChannels) =>
        ChannelMultipleChoice.Probes().ToDictionary(probe => probe, probe => perChannels(probe.InChannels) * probe.Size * probe.Size * 1e-6);
}
