using EfficientNet.Sharp.Specs;

namespace EfficientNet.Sharp.Models.Families;

/// <summary>EfficientNetV2 S, M and L: the TFLite importer does not assemble it (no file of it was available to check against).</summary>
internal static class EfficientNetV2Family
{
    public static FamilyDescriptor Descriptor { get; } = new()
    {
        Family = NetworkFamily.EfficientNetV2,
        Reference = NetworkPresets.EfficientNetV2S,
    };
}
