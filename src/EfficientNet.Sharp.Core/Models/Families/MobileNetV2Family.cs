using EfficientNet.Sharp.Scaling;
using EfficientNet.Sharp.Specs;

namespace EfficientNet.Sharp.Models.Families;

/// <summary>MobileNetV2: TF-Slim's released files are found at any width and resolution.</summary>
internal static class MobileNetV2Family
{
    public static FamilyDescriptor Descriptor { get; } = new()
    {
        Family = NetworkFamily.MobileNetV2,
        Reference = NetworkPresets.MobileNetV2,
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
