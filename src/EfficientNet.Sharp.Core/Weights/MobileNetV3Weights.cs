using EfficientNet.Sharp.Inference;
using EfficientNet.Sharp.Specs;

namespace EfficientNet.Sharp.Weights;

/// <summary>torchvision's MobileNetV3 ImageNet-1k checkpoints (figures from torchvision's weight metadata).</summary>
public static class MobileNetV3Weights
{
    /// <summary>MobileNetV3-Large's original weights, 74.042% top-1.</summary>
    public static PretrainedWeights Large_ImageNet1K_V1 { get; } = Create("Large", "V1", "mobilenet_v3_large-8738ca79.pth", "8738ca79", 74.042, 91.340, 0.217, 21.114, EvalTransform.ImageNet(256, 224, Interpolation.Bilinear));

    /// <summary>MobileNetV3-Large's retrained weights, 75.274% top-1 (torchvision's default).</summary>
    public static PretrainedWeights Large_ImageNet1K_V2 { get; } = Create("Large", "V2", "mobilenet_v3_large-5c1a4163.pth", "5c1a4163", 75.274, 92.566, 0.217, 21.107, EvalTransform.ImageNet(232, 224, Interpolation.Bilinear));

    /// <summary>MobileNetV3-Small's weights, 67.668% top-1.</summary>
    public static PretrainedWeights Small_ImageNet1K_V1 { get; } = Create("Small", "V1", "mobilenet_v3_small-047dcff4.pth", "047dcff4", 67.668, 87.402, 0.057, 9.829, EvalTransform.ImageNet(256, 224, Interpolation.Bilinear));

    /// <summary>All three entries.</summary>
    public static IReadOnlyList<PretrainedWeights> All { get; } = [Large_ImageNet1K_V1, Large_ImageNet1K_V2, Small_ImageNet1K_V1];

    private static PretrainedWeights Create(string size, string version, string file, string sha256, double top1, double top5, double gigaFlops, double megabytes, EvalTransform transform) =>
        TorchvisionWeights.Create($"MobileNetV3_{size}.ImageNet1K_{version}", file, sha256, size == "Small" ? NetworkPresets.MobileNetV3Small : NetworkPresets.MobileNetV3Large, top1, top5, gigaFlops, megabytes, transform);
}
