using EfficientNet.Sharp.Scaling;
using EfficientNet.Sharp.Specs;

namespace EfficientNet.Sharp.Models.Families;

/// <summary>MobileNetV1: TF-Slim's released files are found at any width and resolution.</summary>
internal static class MobileNetV1Family
{
    public static FamilyDescriptor Descriptor { get; } = new()
    {
        Family = NetworkFamily.MobileNetV1,
        Reference = NetworkPresets.MobileNetV1,
        Models = [new() { Name = "mobilenet_v1", Spec = NetworkPresets.MobileNetV1, Scaling = ModelScaling.Using(() => new MobileNetV1Builder()) }],
        TfLite = new TfLiteAssembly
        {
            Name = "mobilenet_v1_tflite",
            Block = BlockKind.DepthwiseSeparable,
            Candidates = recognised => FamilyDescriptors.Widths(recognised, NetworkPresets.MobileNetV1).SelectMany(width => FamilyDescriptors.TryBuild(() => new MobileNetV1Builder()
                .WithWidth(width).WithResolution(recognised.Resolution).WithActivation(recognised.Stem.Activation)
                .WithNumClasses(recognised.Classifier.NumClasses).WithBatchNorm(recognised.BatchNorm).WithPadding(recognised.Padding).BuildSpec())),
        },
    };
}
