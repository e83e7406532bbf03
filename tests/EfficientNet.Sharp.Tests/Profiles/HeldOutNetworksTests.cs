using EfficientNet.Sharp.Benchmarks.DeviceFit;
using EfficientNet.Sharp.Profiles;

namespace EfficientNet.Sharp.Tests.Profiles;

/// <summary>The networks docs/device-fit.md checks predictions on: held out from what the profile was calibrated on.</summary>
public class HeldOutNetworksTests
{
    [Test]
    public void AtLeastFortyNetworks_EveryFamily_AllDistinctAndBuildable()
    {
        IReadOnlyList<string> names = HeldOutNetworks.Names();

        Assert.That(names, Has.Count.GreaterThanOrEqualTo(40));
        Assert.That(names, Is.Unique);
        Assert.That(names.Select(name => HeldOutNetworks.Spec(name).Resolution), Has.All.InRange(96, 320));
        foreach (string family in new[] { "mobilenet_v1", "mobilenet_v2", "mobilenet_v3_large", "mobilenet_v3_small", "efficientnet_b0", "efficientnet_lite", "efficientnet_v2_s" })
        {
            Assert.That(names, Has.Some.StartsWith(family), family);
        }
    }

    [Test]
    public void NoneIsACalibrationNetwork_NorAtItsResolutions()
    {
        IReadOnlyList<string> names = HeldOutNetworks.Names();
        int[] calibrationResolutions = [.. KernelSuite.CalibrationDesign().Select(network => network.Resolution).Distinct()];

        Assert.That(names.Select(name => HeldOutNetworks.Spec(name).Resolution).Intersect(calibrationResolutions), Is.Empty);
        Assert.That(names.Intersect(HeldOutNetworks.Anchors), Is.Empty);
    }

    /// <summary>The validation set was drawn after the calibration was chosen on the development set: they share no network.</summary>
    [Test]
    public void TheValidationSetSharesNoNetworkWithTheDevelopmentSet()
    {
        IReadOnlyList<string> development = HeldOutNetworks.Names(HeldOutNetworks.DevelopmentSeed);

        Assert.That(development, Has.Count.EqualTo(HeldOutNetworks.Names().Count));
        Assert.That(development, Does.Contain("mobilenet_v1 w1.23 r139"), "the development set is the one docs/device-fit.md's 2026-12-04 table lists");
        Assert.That(HeldOutNetworks.Names().Intersect(development), Is.Empty);
    }

    [Test]
    public void TheSameNamesEveryTime()
    {
        IReadOnlyList<string> first = HeldOutNetworks.Names(), second = HeldOutNetworks.Names();
        Assert.That(second, Is.EqualTo(first));
    }
}
