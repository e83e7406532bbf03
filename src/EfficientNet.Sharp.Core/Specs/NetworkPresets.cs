namespace EfficientNet.Sharp.Specs;

/// <summary>
/// The unscaled baseline architectures, written down once. Builders scale these; nothing else
/// in the library spells out an architecture.
/// </summary>
public static partial class NetworkPresets
{
    /// <summary>Input size of every baseline, in pixels.</summary>
    public const int BaselineResolution = 224;

    /// <summary>The number of published EfficientNets, B0…B7 (the compound-scaling steps φ = 0…7).</summary>
    public const int EfficientNetVariants = 8;

    /// <summary>
    /// EfficientNet-B0, the architecture-search baseline (paper Table 1; torchvision's
    /// <c>_efficientnet_conf</c>; TensorFlow block strings <c>r1_k3_s11_e1_i32_o16_se0.25</c> …):
    /// stem 32, seven MBConv stages, head 1280, SiLU, SE 0.25, dropout 0.2, stochastic depth 0.2.
    /// 5,288,548 parameters.
    /// </summary>
    public static NetworkSpec EfficientNetB0 { get; } = new()
    {
        Name = "efficientnet_b0",
        Family = NetworkFamily.EfficientNet,
        Resolution = BaselineResolution,
        Stem = new StemSpec(32, 3, 2, ActivationKind.SiLU),
        Stages =
        [
            MBConv(expand: 1, kernel: 3, stride: 1, input: 32, output: 16, repeats: 1),
            MBConv(expand: 6, kernel: 3, stride: 2, input: 16, output: 24, repeats: 2),
            MBConv(expand: 6, kernel: 5, stride: 2, input: 24, output: 40, repeats: 2),
            MBConv(expand: 6, kernel: 3, stride: 2, input: 40, output: 80, repeats: 3),
            MBConv(expand: 6, kernel: 5, stride: 1, input: 80, output: 112, repeats: 3),
            MBConv(expand: 6, kernel: 5, stride: 2, input: 112, output: 192, repeats: 4),
            MBConv(expand: 6, kernel: 3, stride: 1, input: 192, output: 320, repeats: 1),
        ],
        Head = new HeadSpec(1280, ActivationKind.SiLU),
        Classifier = new ClassifierSpec(1000, 0.2, ClassifierInitialization.UniformByOutFeatures),
        BatchNorm = BatchNormSpec.PyTorchDefault,
        StochasticDepthRate = 0.2,
        Layout = FeatureLayout.StageSequentials,
    };

    /// <summary>
    /// MobileNetV2 1.0 (paper Table 2; torchvision's <c>inverted_residual_setting</c> (t, c, n, s)):
    /// stem 32, seven inverted-residual stages, head 1280, ReLU6, dropout 0.2. 3,504,872 parameters.
    /// </summary>
    public static NetworkSpec MobileNetV2 { get; } = new()
    {
        Name = "mobilenet_v2",
        Family = NetworkFamily.MobileNetV2,
        Resolution = BaselineResolution,
        Stem = new StemSpec(32, 3, 2, ActivationKind.ReLU6),
        Stages =
        [
            InvertedResidual(expand: 1, input: 32, output: 16, repeats: 1, stride: 1),
            InvertedResidual(expand: 6, input: 16, output: 24, repeats: 2, stride: 2),
            InvertedResidual(expand: 6, input: 24, output: 32, repeats: 3, stride: 2),
            InvertedResidual(expand: 6, input: 32, output: 64, repeats: 4, stride: 2),
            InvertedResidual(expand: 6, input: 64, output: 96, repeats: 3, stride: 1),
            InvertedResidual(expand: 6, input: 96, output: 160, repeats: 3, stride: 2),
            InvertedResidual(expand: 6, input: 160, output: 320, repeats: 1, stride: 1),
        ],
        Head = new HeadSpec(1280, ActivationKind.ReLU6),
        Classifier = new ClassifierSpec(1000, 0.2, ClassifierInitialization.Normal),
        BatchNorm = BatchNormSpec.PyTorchDefault,
        Layout = FeatureLayout.FlatBlocks,
    };

    /// <summary>
    /// MobileNetV1 1.0 (paper Table 1; Keras' <c>mobilenet.py</c>; timm's <c>dsa</c> stage strings):
    /// stem 32, 13 depthwise-separable blocks up to 1024 channels, no head convolution, ReLU as in the
    /// paper, Keras' classifier dropout 0.001. 4,231,976 parameters.
    /// </summary>
    public static NetworkSpec MobileNetV1 { get; } = new()
    {
        Name = "mobilenet_v1",
        Family = NetworkFamily.MobileNetV1,
        Resolution = BaselineResolution,
        Stem = new StemSpec(32, 3, 2, ActivationKind.ReLU),
        Stages =
        [
            DepthwiseSeparable(input: 32, output: 64, repeats: 1, stride: 1),
            DepthwiseSeparable(input: 64, output: 128, repeats: 2, stride: 2),
            DepthwiseSeparable(input: 128, output: 256, repeats: 2, stride: 2),
            DepthwiseSeparable(input: 256, output: 512, repeats: 6, stride: 2),
            DepthwiseSeparable(input: 512, output: 1024, repeats: 2, stride: 2),
        ],
        Head = null,
        Classifier = new ClassifierSpec(1000, 0.001, ClassifierInitialization.UniformByOutFeatures),
        BatchNorm = BatchNormSpec.PyTorchDefault,
        Layout = FeatureLayout.FlatBlocks,
    };

    private static StageSpec MBConv(double expand, int kernel, int stride, int input, int output, int repeats) =>
        new(BlockKind.MBConv, expand, kernel, stride, input, output, repeats, SqueezeRatio: 0.25, ActivationKind.SiLU);

    private static StageSpec InvertedResidual(double expand, int input, int output, int repeats, int stride) =>
        new(BlockKind.InvertedResidual, expand, KernelSize: 3, stride, input, output, repeats, SqueezeRatio: 0, ActivationKind.ReLU6);

    private static StageSpec DepthwiseSeparable(int input, int output, int repeats, int stride) =>
        new(BlockKind.DepthwiseSeparable, ExpandRatio: 1, KernelSize: 3, stride, input, output, repeats, SqueezeRatio: 0, ActivationKind.ReLU);
}
