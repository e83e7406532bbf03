using EfficientNet.Sharp.Inference;
using EfficientNet.Sharp.Scaling;

namespace EfficientNet.Sharp.Weights;

/// <summary>torchvision's MobileNetV2 ImageNet-1k checkpoints.</summary>
public static class MobileNetV2Weights
{
    /// <summary>The original weights, 71.878% top-1; the file is in PyTorch's legacy (pre-1.6) format.</summary>
    public static PretrainedWeights ImageNet1K_V1 { get; } = Create("V1", "mobilenet_v2-b0353104.pth", "b0353104", 71.878, 90.286, 13.555, EvalTransform.ImageNet(256, 224, Interpolation.Bilinear));

    /// <summary>torchvision's retrained weights, 72.154% top-1 (its default).</summary>
    public static PretrainedWeights ImageNet1K_V2 { get; } = Create("V2", "mobilenet_v2-7ebf99e0.pth", "7ebf99e0", 72.154, 90.822, 13.598, EvalTransform.ImageNet(232, 224, Interpolation.Bilinear));

    /// <summary>Both entries.</summary>
    public static IReadOnlyList<PretrainedWeights> All { get; } = [ImageNet1K_V1, ImageNet1K_V2];

    private static PretrainedWeights Create(string version, string file, string sha256, double top1, double top5, double megabytes, EvalTransform transform) =>
        TorchvisionWeights.Create($"MobileNetV2.ImageNet1K_{version}", file, sha256, new MobileNetV2Builder().BuildSpec(), top1, top5, 0.301, megabytes, transform);
}
