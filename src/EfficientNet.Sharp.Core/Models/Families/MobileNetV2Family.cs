using EfficientNet.Sharp.Scaling;
using EfficientNet.Sharp.Specs;
using EfficientNet.Sharp.Weights;

namespace EfficientNet.Sharp.Models.Families;

/// <summary>MobileNetV2: TF-Slim's released files are found at any width and resolution.</summary>
internal static class MobileNetV2Family
{
    public static FamilyDescriptor Descriptor { get; } = new()
    {
        Family = NetworkFamily.MobileNetV2,
        Reference = NetworkPresets.MobileNetV2,
        Models =
        [
            new() { Name = "mobilenet_v2", Spec = NetworkPresets.MobileNetV2, Weights = [MobileNetV2Weights.ImageNet1K_V2, MobileNetV2Weights.ImageNet1K_V1], Scaling = ModelScaling.Using(() => new MobileNetV2Builder()) },
        ],
        TfLite = new TfLiteAssembly
        {
            Name = "mobilenet_v2_tflite",
            Block = BlockKind.InvertedResidual,
            Candidates = recognised => FamilyDescriptors.Widths(recognised, NetworkPresets.MobileNetV2).SelectMany(width => FamilyDescriptors.TryBuild(() => new MobileNetV2Builder()
                .WithWidth(width).WithResolution(recognised.Resolution)
                .WithNumClasses(recognised.Classifier.NumClasses).WithBatchNorm(recognised.BatchNorm).WithPadding(recognised.Padding).BuildSpec())),
        },
    };
}
