using EfficientNet.Sharp.Specs;

namespace EfficientNet.Sharp.Models.Families;

/// <summary>EfficientNet-Lite: five fixed variants, fed (255 · p − 127) / 128, each with a published top-1.</summary>
internal static class EfficientNetLiteFamily
{
    public static FamilyDescriptor Descriptor { get; } = new()
    {
        Family = NetworkFamily.EfficientNetLite,
        Reference = NetworkPresets.EfficientNetLite(0),
        Models =
        [
            .. Enumerable.Range(0, NetworkPresets.EfficientNetLiteVariants).Select(variant => new RegisteredModel
            {
                Name = $"efficientnet_lite{variant}",
                Aliases = [$"lite{variant}"],
                Spec = NetworkPresets.EfficientNetLite(variant),
            }),
        ],
        FixedWidthReason = "EfficientNet-Lite's variants are fixed",
        PublishedTop1 = spec => spec.Scaling?.Phi is double variant ? NetworkPresets.EfficientNetLitePublishedTop1((int)variant) : null,
        TfLite = new TfLiteAssembly
        {
            Name = "efficientnet_lite_tflite",
            Block = BlockKind.MBConv,
            FloatInput = (255 / 128.0, -127 / 128.0),
            Candidates = recognised => Enumerable.Range(0, NetworkPresets.EfficientNetLiteVariants).Select(variant => At(variant, recognised)),
        },
    };

    /// <summary>A variant at the file's resolution: Lite models are often exported at sizes other than the variant's.</summary>
    private static NetworkSpec At(int variant, NetworkSpec recognised)
    {
        NetworkSpec preset = NetworkPresets.EfficientNetLite(variant);
        return preset with
        {
            Resolution = recognised.Resolution,
            Classifier = preset.Classifier with { NumClasses = recognised.Classifier.NumClasses },
            Padding = recognised.Padding,
            Scaling = preset.Scaling! with { ResolutionMultiplier = recognised.Resolution / (double)NetworkPresets.BaselineResolution },
        };
    }
}
