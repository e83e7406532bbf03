using EfficientNet.Sharp.Models;
using EfficientNet.Sharp.Models.Families;
using EfficientNet.Sharp.Specs;

namespace EfficientNet.Sharp.Tests.Models;

/// <summary>Every family has one descriptor, and what the TFLite importer reads from it finds the family's own networks.</summary>
public class FamilyDescriptorTests
{
    [Test]
    public void EveryFamily_HasADescriptorOfItsOwn()
    {
        foreach (NetworkFamily family in Enum.GetValues<NetworkFamily>())
        {
            FamilyDescriptor descriptor = FamilyDescriptors.Of(family);
            Assert.That(descriptor.Family, Is.EqualTo(family));
            Assert.That(descriptor.Reference.Family, Is.EqualTo(family), $"{family}'s reference network");
            Assert.That(descriptor.Models, Is.Not.Empty, $"{family} registers no model");
            Assert.That(descriptor.Models.Select(model => model.Spec.Family), Has.All.EqualTo(family), $"{family}'s registered models");
            if (descriptor.TfLite is { } assembly)
            {
                Assert.That(descriptor.Reference.Stages.Select(stage => stage.Block), Has.All.EqualTo(assembly.Block), $"{family}'s TFLite block kind");
            }
        }

        Assert.That(FamilyDescriptors.All.Select(descriptor => descriptor.Family), Is.EquivalentTo(Enum.GetValues<NetworkFamily>()), "one descriptor per family");
        Assert.That(ModelRegistry.All, Is.EqualTo(FamilyDescriptors.All.SelectMany(descriptor => descriptor.Models)), "the registry lists the descriptors' models");
        Assert.That(() => FamilyDescriptors.Of((NetworkFamily)99), Throws.InstanceOf<ArgumentOutOfRangeException>());
    }

    [Test]
    public void TfLiteCandidates_FindTheReferenceNetworkAsTensorFlowPortedIt()
    {
        foreach (NetworkFamily family in Enum.GetValues<NetworkFamily>())
        {
            FamilyDescriptor descriptor = FamilyDescriptors.Of(family);
            if (descriptor.TfLite is not { } assembly)
            {
                continue;
            }

            NetworkSpec ported = descriptor.Reference with { BatchNorm = BatchNormSpec.TensorFlowPorted, Padding = PaddingMode.TensorFlowSame };
            NetworkSpec[] found = [.. assembly.Candidates(ported).Where(candidate => candidate.Stages.SequenceEqual(ported.Stages) && candidate.Stem == ported.Stem)];
            Assert.That(found, Is.Not.Empty, $"{family}: no candidate has the reference network's layers");
            Assert.That(found[0].Family, Is.EqualTo(family));
            Assert.That(found[0].Head, Is.EqualTo(ported.Head), family.ToString());
        }
    }

    [Test]
    public void PublishedTop1_OnlyWhereTheFamilyPublishesIt()
    {
        Assert.That(FamilyDescriptors.Of(NetworkFamily.EfficientNetLite).PublishedTop1(NetworkPresets.EfficientNetLite(2)), Is.EqualTo(NetworkPresets.EfficientNetLitePublishedTop1(2)));
        Assert.That(FamilyDescriptors.Of(NetworkFamily.MobileNetV2).PublishedTop1(NetworkPresets.MobileNetV2), Is.Null);
    }
}
