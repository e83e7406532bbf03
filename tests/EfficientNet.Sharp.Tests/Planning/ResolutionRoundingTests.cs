using EfficientNet.Sharp.Models;
using EfficientNet.Sharp.Planning;

namespace EfficientNet.Sharp.Tests.Planning;

/// <summary>One φ → pixels rule: B0 scaled by resolution alone gives the same input sizes whether it is reached as the default family or as a registered model.</summary>
public class ResolutionRoundingTests
{
    [Test]
    public void ResolutionOnly_GivesTheSamePixels_ForTheDefaultFamilyAndTheRegisteredModel()
    {
        ScalingFamily builder = ScalingFamily.For(ScalingMode.ResolutionOnly);
        ScalingFamily model = ScalingFamily.ForModel(ScalingMode.ResolutionOnly, ModelRegistry.Get("efficientnet_b0"));
        double[] phis = [.. Enumerable.Range(-20, 61).Select(i => i / 10.0)];

        int[] fromBuilder = [.. phis.Select(phi => builder.At(phi).Resolution)];
        int[] fromModel = [.. phis.Select(phi => model.At(phi).Resolution)];

        Assert.That(fromModel, Is.EqualTo(fromBuilder));
        Assert.That(fromBuilder, Has.All.Matches<int>(pixels => pixels % 4 == 0));
        Assert.That(fromBuilder.Distinct().Count(), Is.EqualTo(phis.Length), "every step of 0.1 gives its own size");
    }
}
