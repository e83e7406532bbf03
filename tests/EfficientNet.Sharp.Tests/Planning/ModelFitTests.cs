using EfficientNet.Sharp.Analysis;
using EfficientNet.Sharp.Models;
using EfficientNet.Sharp.Planning;
using EfficientNet.Sharp.Scaling;
using EfficientNet.Sharp.Specs;

namespace EfficientNet.Sharp.Tests.Planning;

/// <summary>
/// Every registered model rebuilt with overrides by its own family's builder, and fitted to a budget along its own
/// width, depth or resolution (φ = 0 is the model itself).
/// </summary>
public class ModelFitTests
{
    private static IEnumerable<TestCaseData> Models() =>
        ModelRegistry.All.Select(model => new TestCaseData(model).SetName($"{{m}}_{model.Name}"));

    [TestCaseSource(nameof(Models))]
    public void BuildSpec_WithoutOverrides_IsTheRegisteredArchitecture(RegisteredModel model)
    {
        Assert.That(SameArchitecture(model.BuildSpec(), model.Spec), Is.True);
    }

    /// <summary>The same layers, input and settings; the name and the scaling record are the builder's (presets carry none).</summary>
    private static bool SameArchitecture(NetworkSpec built, NetworkSpec registered) =>
        built with { Name = registered.Name, Scaling = registered.Scaling } == registered;

    [Test]
    public void BuildSpec_UsesTheFamilysBuilder()
    {
        Assert.Multiple(() =>
        {
            Assert.That(ModelRegistry.Get("mobilenet_v2").BuildSpec(new ModelOverrides { Width = 0.5, Resolution = 160, NumClasses = 10 }),
                Is.EqualTo(new MobileNetV2Builder().WithWidth(0.5).WithResolution(160).WithNumClasses(10).BuildSpec()));
            Assert.That(ModelRegistry.Get("mobilenet_v3_small").BuildSpec(new ModelOverrides { Width = 0.75 }),
                Is.EqualTo(new MobileNetV3Builder().Small().WithWidth(0.75).BuildSpec()));
            Assert.That(ModelRegistry.Get("efficientnet_v2_m").BuildSpec(new ModelOverrides { Depth = 0.5 }),
                Is.EqualTo(new EfficientNetV2Builder().Medium().WithDepth(0.5).BuildSpec()));
            Assert.That(ModelRegistry.Get("b3").BuildSpec(new ModelOverrides { Width = 1 }),
                Is.EqualTo(new EfficientNetBuilder().WithPhi(3).WithWidth(1).BuildSpec()));
            Assert.That(ModelRegistry.Get("lite2").BuildSpec(new ModelOverrides { Resolution = 200 }).Resolution, Is.EqualTo(200));
        });
    }

    [TestCase("efficientnet_lite0", true, false)]
    [TestCase("mobilenet_v1", false, true)]
    [TestCase("mobilenet_v3_large", false, true)]
    public void BuildSpec_RefusesAMultiplierTheFamilyLacks(string name, bool width, bool depth)
    {
        RegisteredModel model = ModelRegistry.Get(name);

        Assert.That(model.ScalesWidth, Is.EqualTo(!width));
        Assert.That(model.ScalesDepth, Is.False);
        Assert.That(
            () => model.BuildSpec(new ModelOverrides { Width = width ? 0.5 : null, Depth = depth ? 0.5 : null }),
            Throws.ArgumentException.With.Property("ParamName").EqualTo("overrides").And.Message.Contains(name));
    }

    [TestCase("mobilenet_v2", ScalingMode.WidthOnly)]
    [TestCase("mobilenet_v3_large", ScalingMode.ResolutionOnly)]
    [TestCase("efficientnet_v2_s", ScalingMode.DepthOnly)]
    [TestCase("efficientnet_b2", ScalingMode.Compound)]
    public void Family_StartsAtTheModelAndGrowsWithPhi(string name, ScalingMode mode)
    {
        RegisteredModel model = ModelRegistry.Get(name);
        ScalingFamily family = ScalingFamily.ForModel(mode, model);

        long[] macs = [.. new[] { -2.0, -1, 0, 1 }.Select(phi => NetworkAnalyzer.Analyze(family.At(phi)).MultiplyAccumulates)];

        Assert.That(SameArchitecture(family.At(0), model.Spec), Is.True, "φ = 0 is the model itself");
        Assert.That(macs, Is.Ordered.Ascending);
        Assert.That(macs[3] / (double)macs[2], Is.InRange(1.3, 3.0), "one step of φ about doubles the multiply-accumulates");
    }

    [Test]
    public void Supports_IsWhatTheFamilyHas()
    {
        Assert.Multiple(() =>
        {
            Assert.That(ScalingFamily.Supports(ScalingMode.Compound, ModelRegistry.Get("mobilenet_v2")), Is.False);
            Assert.That(ScalingFamily.Supports(ScalingMode.DepthOnly, ModelRegistry.Get("mobilenet_v2")), Is.False);
            Assert.That(ScalingFamily.Supports(ScalingMode.WidthOnly, ModelRegistry.Get("efficientnet_lite3")), Is.False);
            Assert.That(ScalingFamily.Supports(ScalingMode.ResolutionOnly, ModelRegistry.Get("efficientnet_lite3")), Is.True);
            Assert.That(ScalingFamily.Supports(ScalingMode.Compound, ModelRegistry.Get("b5")), Is.True);
            Assert.That(() => ScalingFamily.ForModel(ScalingMode.Compound, ModelRegistry.Get("mobilenet_v1")), Throws.ArgumentException.With.Message.Contains("EfficientNet-B models only"));
        });
    }

    [Test]
    public void DeviceFit_ForAModel_FindsTheLargestWidthWithinTheBudget()
    {
        RegisteredModel model = ModelRegistry.Get("mobilenet_v2");
        long budget = 150_000_000;

        FitResult fit = DeviceFit.Using(DeterministicCostModel.ProportionalToMacs()).ForModel(model, new ModelOverrides { NumClasses = 10 })
            .WithinMultiplyAccumulates(budget).Fit();

        // Brute force along the same family on the search's 0.1 grid.
        ScalingFamily family = ScalingFamily.ForModel(ScalingMode.WidthOnly, model, new ModelOverrides { NumClasses = 10 });
        double expected = Enumerable.Range(-60, 131).Select(k => k / 10.0)
            .Where(phi => TryMacs(family, phi) is long macs && macs <= budget).Max();
        Assert.That(fit.Fits, Is.True, fit.Report);
        Assert.That(fit.Chosen!.Phi, Is.EqualTo(expected).Within(1e-9), fit.Report);
        Assert.That(fit.Chosen.Spec.Family, Is.EqualTo(NetworkFamily.MobileNetV2));
        Assert.That(fit.Chosen.Spec.Classifier.NumClasses, Is.EqualTo(10));
        Assert.That(fit.Family, Does.Contain("mobilenet_v2"));
    }

    [Test]
    public void CompareModes_ForAModel_LeavesOutTheModesItLacks()
    {
        IReadOnlyList<FitResult> results = DeviceFit.Using(DeterministicCostModel.ProportionalToMacs())
            .ForModel(ModelRegistry.Get("mobilenet_v3_small")).WithinMultiplyAccumulates(80_000_000).CompareModes();

        Assert.That(results.Select(r => r.Family), Is.EqualTo(new[] { "mobilenet_v3_small width", "mobilenet_v3_small resolution" }));
    }

    private static long? TryMacs(ScalingFamily family, double phi)
    {
        try
        {
            return NetworkAnalyzer.Analyze(family.At(phi)).MultiplyAccumulates;
        }
        catch (ArgumentException)
        {
            return null;
        }
    }
}
