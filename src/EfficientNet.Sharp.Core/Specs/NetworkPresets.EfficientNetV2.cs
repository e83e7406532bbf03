namespace EfficientNet.Sharp.Specs;

/// <summary>EfficientNetV2 S, M and L, stage by stage as torchvision's <c>_efficientnet_conf</c> lists them.</summary>
public static partial class NetworkPresets
{
    /// <summary>EfficientNetV2-S: 21,458,488 parameters, 8.366 G multiply-accumulates at its 384 px (torchvision).</summary>
    public static NetworkSpec EfficientNetV2S { get; } = EfficientNetV2(
        "efficientnet_v2_s",
        resolution: 384,
        dropout: 0.2,
        [
            Fused(expand: 1, input: 24, output: 24, repeats: 2, stride: 1),
            Fused(expand: 4, input: 24, output: 48, repeats: 4, stride: 2),
            Fused(expand: 4, input: 48, output: 64, repeats: 4, stride: 2),
            MBConvV2(expand: 4, input: 64, output: 128, repeats: 6, stride: 2),
            MBConvV2(expand: 6, input: 128, output: 160, repeats: 9, stride: 1),
            MBConvV2(expand: 6, input: 160, output: 256, repeats: 15, stride: 2),
        ]);

    /// <summary>EfficientNetV2-M: 54,139,356 parameters, 24.582 G multiply-accumulates at its 480 px (torchvision).</summary>
    public static NetworkSpec EfficientNetV2M { get; } = EfficientNetV2(
        "efficientnet_v2_m",
        resolution: 480,
        dropout: 0.3,
        [
            Fused(expand: 1, input: 24, output: 24, repeats: 3, stride: 1),
            Fused(expand: 4, input: 24, output: 48, repeats: 5, stride: 2),
            Fused(expand: 4, input: 48, output: 80, repeats: 5, stride: 2),
            MBConvV2(expand: 4, input: 80, output: 160, repeats: 7, stride: 2),
            MBConvV2(expand: 6, input: 160, output: 176, repeats: 14, stride: 1),
            MBConvV2(expand: 6, input: 176, output: 304, repeats: 18, stride: 2),
            MBConvV2(expand: 6, input: 304, output: 512, repeats: 5, stride: 1),
        ]);

    /// <summary>EfficientNetV2-L: 118,515,272 parameters, 56.080 G multiply-accumulates at its 480 px (torchvision).</summary>
    public static NetworkSpec EfficientNetV2L { get; } = EfficientNetV2(
        "efficientnet_v2_l",
        resolution: 480,
        dropout: 0.4,
        [
            Fused(expand: 1, input: 32, output: 32, repeats: 4, stride: 1),
            Fused(expand: 4, input: 32, output: 64, repeats: 7, stride: 2),
            Fused(expand: 4, input: 64, output: 96, repeats: 7, stride: 2),
            MBConvV2(expand: 4, input: 96, output: 192, repeats: 10, stride: 2),
            MBConvV2(expand: 6, input: 192, output: 224, repeats: 19, stride: 1),
            MBConvV2(expand: 6, input: 224, output: 384, repeats: 25, stride: 2),
            MBConvV2(expand: 6, input: 384, output: 640, repeats: 7, stride: 1),
        ]);

    /// <summary>
    /// What the three sizes share: a SiLU stem with the first stage's input channels, a 1280-channel head,
    /// BatchNorm ε 0.001 with PyTorch's momentum 0.1 (torchvision's <c>partial(nn.BatchNorm2d, eps=1e-03)</c>),
    /// stochastic depth 0.2, stage containers as in EfficientNet.
    /// </summary>
    private static NetworkSpec EfficientNetV2(string name, int resolution, double dropout, StageSpec[] stages) => new()
    {
        Name = name,
        Family = NetworkFamily.EfficientNetV2,
        Resolution = resolution,
        Stem = new StemSpec(stages[0].InChannels, 3, 2, ActivationKind.SiLU),
        Stages = stages,
        Head = new HeadSpec(1280, ActivationKind.SiLU),
        Classifier = new ClassifierSpec(1000, dropout, ClassifierInitialization.UniformByOutFeatures),
        BatchNorm = new BatchNormSpec(1e-3, 0.1),
        StochasticDepthRate = 0.2,
        Layout = FeatureLayout.StageSequentials,
    };

    private static StageSpec Fused(double expand, int input, int output, int repeats, int stride) =>
        new(BlockKind.FusedMBConv, expand, KernelSize: 3, stride, input, output, repeats, SqueezeRatio: 0, ActivationKind.SiLU);

    private static StageSpec MBConvV2(double expand, int input, int output, int repeats, int stride) =>
        new(BlockKind.MBConv, expand, KernelSize: 3, stride, input, output, repeats, SqueezeRatio: 0.25, ActivationKind.SiLU);
}
