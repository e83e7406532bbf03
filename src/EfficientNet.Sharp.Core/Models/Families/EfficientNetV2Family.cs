using EfficientNet.Sharp.Scaling;
using EfficientNet.Sharp.Specs;
using EfficientNet.Sharp.Weights;

namespace EfficientNet.Sharp.Models.Families;

/// <summary>EfficientNetV2 S, M and L: the TFLite importer does not assemble it (no file of it was available to check against).</summary>
internal static class EfficientNetV2Family
{
    public static FamilyDescriptor Descriptor { get; } = new()
    {
        Family = NetworkFamily.EfficientNetV2,
        Reference = NetworkPresets.EfficientNetV2S,
        Models =
        [
            new() { Name = "efficientnet_v2_s", Spec = NetworkPresets.EfficientNetV2S, Weights = [EfficientNetV2Weights.S_ImageNet1K_V1], Scaling = Scaling(() => new EfficientNetV2Builder().Small()) },
            new() { Name = "efficientnet_v2_m", Spec = NetworkPresets.EfficientNetV2M, Weights = [EfficientNetV2Weights.M_ImageNet1K_V1], Scaling = Scaling(() => new EfficientNetV2Builder().Medium()) },
            new() { Name = "efficientnet_v2_l", Spec = NetworkPresets.EfficientNetV2L, Weights = [EfficientNetV2Weights.L_ImageNet1K_V1], Scaling = Scaling(() => new EfficientNetV2Builder().Large()) },
        ],
    };

    /// <summary>A variant's builder, which scales width, depth and resolution.</summary>
    private static ModelScaling Scaling(Func<EfficientNetV2Builder> variant) => ModelScaling.Using(variant, (builder, depth) => builder.WithDepth(depth));
}
