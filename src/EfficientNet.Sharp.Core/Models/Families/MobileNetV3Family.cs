using EfficientNet.Sharp.Scaling;
using EfficientNet.Sharp.Specs;
using EfficientNet.Sharp.Weights;

namespace EfficientNet.Sharp.Models.Families;

/// <summary>MobileNetV3 Large and Small: a TFLite file is tried as either at any width; every block is a stage of its own.</summary>
internal static class MobileNetV3Family
{
    public static FamilyDescriptor Descriptor { get; } = new()
    {
        Family = NetworkFamily.MobileNetV3,
        Reference = NetworkPresets.MobileNetV3Large,
        Models =
        [
            new() { Name = "mobilenet_v3_large", Spec = NetworkPresets.MobileNetV3Large, Weights = [MobileNetV3Weights.Large_ImageNet1K_V2, MobileNetV3Weights.Large_ImageNet1K_V1], Scaling = ModelScaling.Using(() => new MobileNetV3Builder().Large()) },
            new() { Name = "mobilenet_v3_small", Spec = NetworkPresets.MobileNetV3Small, Weights = [MobileNetV3Weights.Small_ImageNet1K_V1], Scaling = ModelScaling.Using(() => new MobileNetV3Builder().Small()) },
        ],
        TfLite = new TfLiteAssembly
        {
            Name = "mobilenet_v3_tflite",
            Block = BlockKind.MobileNetV3,
            GroupsRepeats = false,
            Candidates = recognised => new[] { NetworkPresets.MobileNetV3Large, NetworkPresets.MobileNetV3Small }.SelectMany(preset =>
                FamilyDescriptors.Widths(recognised, preset).SelectMany(width => FamilyDescriptors.TryBuild(() =>
                    (preset == NetworkPresets.MobileNetV3Small ? new MobileNetV3Builder().Small() : new MobileNetV3Builder().Large())
                    .WithWidth(width).WithResolution(recognised.Resolution).WithNumClasses(recognised.Classifier.NumClasses)
                    .WithBatchNorm(recognised.BatchNorm).WithPadding(recognised.Padding).BuildSpec()))),
        },
    };
}
