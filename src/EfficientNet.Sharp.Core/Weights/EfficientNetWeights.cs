using EfficientNet.Sharp.Inference;
using EfficientNet.Sharp.Scaling;

namespace EfficientNet.Sharp.Weights;

/// <summary>
/// torchvision's EfficientNet-B0…B7 ImageNet-1k checkpoints. File names are the ones torchvision has
/// served since its 2023 rename (the earlier names carried the hash prefixes of timm's and lukemelas'
/// files and failed torch.hub's check); full SHA-256 digests as published in pytorch/vision#7744.
/// B0–B4 were trained by Ross Wightman (timm); B5–B7 are lukemelas' TensorFlow ports, which
/// torchvision runs with symmetric padding and TensorFlow's BatchNorm settings.
/// </summary>
public static class EfficientNetWeights
{
    /// <summary>EfficientNet-B0, 77.692% top-1 (torchvision's default).</summary>
    public static PretrainedWeights B0_ImageNet1K_V1 { get; } = Torchvision(0, "V1", "efficientnet_b0_rwightman-7f5810bc.pth", "7f5810bc96def8f7552d5b7e68d53c4786f81167d28291b21c0d90e1fca14934", 77.692, 93.532, 0.386, 20.451, EvalTransform.ImageNet(256, 224, Interpolation.Bicubic));

    /// <summary>EfficientNet-B1 (first weights), 78.642% top-1.</summary>
    public static PretrainedWeights B1_ImageNet1K_V1 { get; } = Torchvision(1, "V1", "efficientnet_b1_rwightman-bac287d4.pth", "bac287d4", 78.642, 94.186, 0.687, 30.134, EvalTransform.ImageNet(256, 240, Interpolation.Bicubic)) with
    {
        Remarks = "The current file name is taken from third-party copies of torchvision's table, not from torchvision's source; the hash is the prefix in that name.",
    };

    /// <summary>EfficientNet-B1 retrained by torchvision, 79.838% top-1 (torchvision's default for B1).</summary>
    public static PretrainedWeights B1_ImageNet1K_V2 { get; } = Torchvision(1, "V2", "efficientnet_b1-c27df63c.pth", "c27df63c", 79.838, 94.934, 0.687, 30.136, EvalTransform.ImageNet(255, 240, Interpolation.Bilinear));

    /// <summary>EfficientNet-B2, 80.608% top-1 (evaluated at 288 px).</summary>
    public static PretrainedWeights B2_ImageNet1K_V1 { get; } = Torchvision(2, "V1", "efficientnet_b2_rwightman-c35c1473.pth", "c35c147384e385a5bab5a8eabdabbe5a3df0487ee4a554108626ae474a5bf755", 80.608, 95.310, 1.088, 35.174, EvalTransform.ImageNet(288, 288, Interpolation.Bicubic));

    /// <summary>EfficientNet-B3, 82.008% top-1.</summary>
    public static PretrainedWeights B3_ImageNet1K_V1 { get; } = Torchvision(3, "V1", "efficientnet_b3_rwightman-b3899882.pth", "b3899882250c22946d0229d266049fcd133c169233530b36b9ffa7983988362f", 82.008, 96.054, 1.827, 47.184, EvalTransform.ImageNet(320, 300, Interpolation.Bicubic));

    /// <summary>EfficientNet-B4, 83.384% top-1.</summary>
    public static PretrainedWeights B4_ImageNet1K_V1 { get; } = Torchvision(4, "V1", "efficientnet_b4_rwightman-23ab8bcd.pth", "23ab8bcd5bdbef61a7a43b91adcad81f622fd7f36fb4935a569828d77888c44e", 83.384, 96.594, 4.394, 74.489, EvalTransform.ImageNet(384, 380, Interpolation.Bicubic));

    /// <summary>EfficientNet-B5 (lukemelas' port), 83.444% top-1.</summary>
    public static PretrainedWeights B5_ImageNet1K_V1 { get; } = Torchvision(5, "V1", "efficientnet_b5_lukemelas-1a07897c.pth", "1a07897c0d357db7981640f6be44a63420f11deb932344a69768b62ebe272946", 83.444, 96.628, 10.266, 116.864, EvalTransform.ImageNet(456, 456, Interpolation.Bicubic));

    /// <summary>EfficientNet-B6 (lukemelas' port), 84.008% top-1.</summary>
    public static PretrainedWeights B6_ImageNet1K_V1 { get; } = Torchvision(6, "V1", "efficientnet_b6_lukemelas-24a108a5.pth", "24a108a596a00ad522bdfb9a2d98a9bd31819dfd7e37dd96bad6bb5bc00d6015", 84.008, 96.916, 19.068, 165.362, EvalTransform.ImageNet(528, 528, Interpolation.Bicubic));

    /// <summary>EfficientNet-B7 (lukemelas' port), 84.122% top-1.</summary>
    public static PretrainedWeights B7_ImageNet1K_V1 { get; } = Torchvision(7, "V1", "efficientnet_b7_lukemelas-c5b4e57e.pth", "c5b4e57e0da1a10bb4f8a5b410dd3b7b6e7461f9b757209be29409707c3d87dd", 84.122, 96.908, 37.746, 254.675, EvalTransform.ImageNet(600, 600, Interpolation.Bicubic));

    /// <summary>Every entry, B0 first.</summary>
    public static IReadOnlyList<PretrainedWeights> All { get; } =
        [B0_ImageNet1K_V1, B1_ImageNet1K_V1, B1_ImageNet1K_V2, B2_ImageNet1K_V1, B3_ImageNet1K_V1, B4_ImageNet1K_V1, B5_ImageNet1K_V1, B6_ImageNet1K_V1, B7_ImageNet1K_V1];

    /// <summary>torchvision's default checkpoint for EfficientNet-B<paramref name="variant"/>.</summary>
    /// <param name="variant">0…7.</param>
    /// <returns>The checkpoint (B1's is V2).</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="variant"/> is outside 0…7.</exception>
    public static PretrainedWeights Default(int variant) => variant switch
    {
        0 => B0_ImageNet1K_V1,
        1 => B1_ImageNet1K_V2,
        2 => B2_ImageNet1K_V1,
        3 => B3_ImageNet1K_V1,
        4 => B4_ImageNet1K_V1,
        5 => B5_ImageNet1K_V1,
        6 => B6_ImageNet1K_V1,
        7 => B7_ImageNet1K_V1,
        _ => throw new ArgumentOutOfRangeException(nameof(variant), variant, "EfficientNet variants are B0…B7."),
    };

    private static PretrainedWeights Torchvision(int variant, string version, string file, string sha256, double top1, double top5, double gigaFlops, double megabytes, EvalTransform transform) =>
        TorchvisionWeights.Create($"EfficientNet_B{variant}.ImageNet1K_{version}", file, sha256, new EfficientNetBuilder().WithPhi(variant).BuildSpec(), top1, top5, gigaFlops, megabytes, transform);
}
