using EfficientNet.Sharp.Specs;

namespace EfficientNet.Sharp.Tests.Specs;

public class NetworkSpecTests
{
    [Test]
    public void Presets_AreValid()
    {
        Assert.That(NetworkPresets.EfficientNetB0.Validate, Throws.Nothing);
        Assert.That(NetworkPresets.MobileNetV1.Validate, Throws.Nothing);
        Assert.That(NetworkPresets.MobileNetV2.Validate, Throws.Nothing);
    }

    [Test]
    public void Blocks_GiveTheStrideAndChannelChangeOnlyToTheFirstBlockOfAStage()
    {
        IReadOnlyList<BlockSpec> stage = [.. NetworkPresets.EfficientNetB0.Blocks.Where(b => b.StageIndex == 5)];

        Assert.That(stage.Select(b => b.Stride), Is.EqualTo(new[] { 2, 1, 1, 1 }));
        Assert.That(stage.Select(b => b.InChannels), Is.EqualTo(new[] { 112, 192, 192, 192 }));
        Assert.That(stage.Select(b => b.IndexInStage), Is.EqualTo(new[] { 0, 1, 2, 3 }));
        Assert.That(stage.Select(b => b.Index), Is.EqualTo(new[] { 11, 12, 13, 14 }));
    }

    [Test]
    public void DerivedFacts_OfTheB0Preset()
    {
        NetworkSpec b0 = NetworkPresets.EfficientNetB0;

        Assert.That(b0.BlockCount, Is.EqualTo(16));
        Assert.That(b0.TotalStride, Is.EqualTo(32));
        Assert.That(b0.FeatureChannels, Is.EqualTo(1280));
        Assert.That(NetworkPresets.MobileNetV1.FeatureChannels, Is.EqualTo(1024));
    }

    private static IEnumerable<TestCaseData> BrokenSpecs()
    {
        NetworkSpec b0 = NetworkPresets.EfficientNetB0;
        yield return new TestCaseData(b0 with { Resolution = 16 }, "Resolution 16").SetName("Validate_TooSmallResolution");
        yield return new TestCaseData(b0 with { InputChannels = 0 }, "InputChannels").SetName("Validate_NoInputChannels");
        yield return new TestCaseData(b0 with { Stages = [] }, "at least one stage").SetName("Validate_NoStages");
        yield return new TestCaseData(b0 with { Stages = [b0.Stages[0] with { Repeats = 0 }] }, "Stages[0].Repeats").SetName("Validate_ZeroRepeats");
        yield return new TestCaseData(b0 with { Stages = [b0.Stages[0] with { KernelSize = 4 }] }, "Stages[0].KernelSize").SetName("Validate_EvenKernel");
        yield return new TestCaseData(b0 with { Stages = [b0.Stages[0] with { Stride = 3 }] }, "Stages[0].Stride").SetName("Validate_StrideThree");
        yield return new TestCaseData(b0 with { Stages = [b0.Stages[0] with { InChannels = 8 }] }, "Stages[0].InChannels").SetName("Validate_BrokenChain");
        yield return new TestCaseData(b0 with { Classifier = b0.Classifier with { NumClasses = -1 } }, "NumClasses").SetName("Validate_NegativeClasses");
        yield return new TestCaseData(b0 with { StochasticDepthRate = 1 }, "StochasticDepthRate").SetName("Validate_StochasticDepthOne");
        yield return new TestCaseData(NetworkPresets.MobileNetV2 with { Stages = [NetworkPresets.MobileNetV2.Stages[0] with { SqueezeRatio = 0.25 }] }, "squeeze").SetName("Validate_SqueezeOnInvertedResidual");
    }

    [TestCaseSource(nameof(BrokenSpecs))]
    public void Validate_NamesTheProblem(NetworkSpec spec, string expectedFragment)
    {
        var exception = Assert.Throws<ArgumentException>(spec.Validate);
        Assert.That(exception!.Message, Does.Contain(expectedFragment));
    }

    [Test]
    public void Equality_ComparesStagesByValue()
    {
        NetworkSpec copy = NetworkPresets.EfficientNetB0 with { Stages = [.. NetworkPresets.EfficientNetB0.Stages] };

        Assert.That(copy, Is.EqualTo(NetworkPresets.EfficientNetB0));
        Assert.That(copy.GetHashCode(), Is.EqualTo(NetworkPresets.EfficientNetB0.GetHashCode()));
        Assert.That(copy with { Stages = [.. copy.Stages.Take(6)] }, Is.Not.EqualTo(NetworkPresets.EfficientNetB0));
    }

    [Test]
    public void Equality_AndPrinting_CoverEverySettableProperty()
    {
        NetworkSpec b0 = NetworkPresets.EfficientNetB0;

        // One changed copy per property; a property added to NetworkSpec fails here until it has one.
        var changed = new Dictionary<string, NetworkSpec>
        {
            [nameof(NetworkSpec.Name)] = b0 with { Name = "other" },
            [nameof(NetworkSpec.Family)] = b0 with { Family = NetworkFamily.EfficientNetLite },
            [nameof(NetworkSpec.Resolution)] = b0 with { Resolution = 228 },
            [nameof(NetworkSpec.InputChannels)] = b0 with { InputChannels = 1 },
            [nameof(NetworkSpec.Stem)] = b0 with { Stem = b0.Stem with { OutChannels = 40 } },
            [nameof(NetworkSpec.Stages)] = b0 with { Stages = [.. b0.Stages.Take(6), b0.Stages[6] with { Repeats = 2 }] },
            [nameof(NetworkSpec.Head)] = b0 with { Head = null },
            [nameof(NetworkSpec.Classifier)] = b0 with { Classifier = b0.Classifier with { NumClasses = 10 } },
            [nameof(NetworkSpec.BatchNorm)] = b0 with { BatchNorm = BatchNormSpec.TensorFlowPorted },
            [nameof(NetworkSpec.Padding)] = b0 with { Padding = PaddingMode.TensorFlowSame },
            [nameof(NetworkSpec.StochasticDepthRate)] = b0 with { StochasticDepthRate = 0.1 },
            [nameof(NetworkSpec.Layout)] = b0 with { Layout = FeatureLayout.FlatBlocks },
            [nameof(NetworkSpec.Scaling)] = b0 with { Scaling = NetworkPresets.EfficientNetLite(0).Scaling },
        };
        string[] settable = [.. typeof(NetworkSpec).GetProperties().Where(p => p.SetMethod is not null).Select(p => p.Name)];

        Assert.That(changed.Keys, Is.EquivalentTo(settable));
        foreach ((string property, NetworkSpec other) in changed)
        {
            Assert.That(other, Is.Not.EqualTo(b0), property);
            Assert.That(other.ToString(), Is.Not.EqualTo(b0.ToString()), property);
            Assert.That(b0.ToString(), Does.Contain($"{property} = "), property);
        }

        Assert.That(b0.ToString(), Does.Not.Contain("Blocks ="), "computed properties are not printed");
    }

    [Test]
    public void Stages_AreACopy_ThatTheCallersListCannotChange()
    {
        StageSpec[] stages = [.. NetworkPresets.EfficientNetB0.Stages];
        NetworkSpec spec = NetworkPresets.EfficientNetB0 with { Stages = stages };

        stages[0] = stages[0] with { Repeats = 3 };

        Assert.That(spec, Is.EqualTo(NetworkPresets.EfficientNetB0));
    }

    [Test]
    public void PublicRecords_HaveNoDeconstruct()
    {
        // Records with init properties: adding a field must not change a method callers may use positionally.
        Type[] records = [.. new[] { typeof(NetworkSpec).Assembly, typeof(EfficientNet.Sharp.Models.ConvNetwork).Assembly, typeof(EfficientNet.Sharp.OnnxRuntime.OnnxClassifier).Assembly }
            .SelectMany(assembly => assembly.GetExportedTypes())
            .Where(type => type.GetMethod("<Clone>$") is not null)];

        Assert.That(records, Has.Length.GreaterThan(20));
        Assert.That(records.Where(type => type.GetMethod("Deconstruct") is not null).Select(type => type.Name), Is.Empty);
    }
}
