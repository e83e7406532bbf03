using EfficientNet.Sharp.Inference;
using EfficientNet.Sharp.Specs;

namespace EfficientNet.Sharp.Weights;

/// <summary>torchvision's EfficientNetV2 ImageNet-1k checkpoints (figures from torchvision's weight metadata).</summary>
public static class EfficientNetV2Weights
{
    /// <summary>EfficientNetV2-S, 84.228% top-1 at 384 px.</summary>
    public static PretrainedWeights S_ImageNet1K_V1 { get; } = Create("S", "efficientnet_v2_s-dd5fe13b.pth", "dd5fe13b", NetworkPresets.EfficientNetV2S, 84.228, 96.878, 8.366, 82.704, EvalTransform.ImageNet(384, 384, Interpolation.Bilinear));

    /// <summary>EfficientNetV2-M, 85.112% top-1 at 480 px.</summary>
    public static PretrainedWeights M_ImageNet1K_V1 { get; } = Create("M", "efficientnet_v2_m-dc08266a.pth", "dc08266a", NetworkPresets.EfficientNetV2M, 85.112, 97.156, 24.582, 208.01, EvalTransform.ImageNet(480, 480, Interpolation.Bilinear));

    /// <summary>EfficientNetV2-L, 85.808% top-1 at 480 px; it normalises with mean and standard deviation 0.5, not ImageNet's.</summary>
    public static PretrainedWeights L_ImageNet1K_V1 { get; } = Create("L", "efficientnet_v2_l-59c71312.pth", "59c71312", NetworkPresets.EfficientNetV2L, 85.808, 97.788, 56.08, 454.573, new EvalTransform(480, 480, Interpolation.Bicubic, [0.5f, 0.5f, 0.5f], [0.5f, 0.5f, 0.5f]));

    /// <summary>All three entries.</summary>
    public static IReadOnlyList<PretrainedWeights> All { get; } = [S_ImageNet1K_V1, M_ImageNet1K_V1, L_ImageNet1K_V1];

    private static PretrainedWeights Create(string size, string file, string sha256, NetworkSpec architecture, double top1, double top5, double gigaFlops, double megabytes, EvalTransform transform) =>
        TorchvisionWeights.Create($"EfficientNet_V2_{size}.ImageNet1K_V1", file, sha256, architecture, top1, top5, gigaFlops, megabytes, transform);
}
