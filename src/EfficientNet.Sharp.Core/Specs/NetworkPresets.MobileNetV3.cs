namespace EfficientNet.Sharp.Specs;

/// <summary>MobileNetV3 Large and Small, block by block as torchvision's <c>_mobilenet_v3_conf</c> lists them.</summary>
public static partial class NetworkPresets
{
    /// <summary>MobileNetV3-Large at width 1.0: 5,483,032 parameters, 0.217 G multiply-accumulates at 224 px (torchvision).</summary>
    public static NetworkSpec MobileNetV3Large { get; } = MobileNetV3(
        "mobilenet_v3_large",
        [
            Bneck(16, 3, 16, 16, se: false, ActivationKind.ReLU, 1),
            Bneck(16, 3, 64, 24, se: false, ActivationKind.ReLU, 2),
            Bneck(24, 3, 72, 24, se: false, ActivationKind.ReLU, 1),
            Bneck(24, 5, 72, 40, se: true, ActivationKind.ReLU, 2),
            Bneck(40, 5, 120, 40, se: true, ActivationKind.ReLU, 1),
            Bneck(40, 5, 120, 40, se: true, ActivationKind.ReLU, 1),
            Bneck(40, 3, 240, 80, se: false, ActivationKind.Hardswish, 2),
            Bneck(80, 3, 200, 80, se: false, ActivationKind.Hardswish, 1),
            Bneck(80, 3, 184, 80, se: false, ActivationKind.Hardswish, 1),
            Bneck(80, 3, 184, 80, se: false, ActivationKind.Hardswish, 1),
            Bneck(80, 3, 480, 112, se: true, ActivationKind.Hardswish, 1),
            Bneck(112, 3, 672, 112, se: true, ActivationKind.Hardswish, 1),
            Bneck(112, 5, 672, 160, se: true, ActivationKind.Hardswish, 2),
            Bneck(160, 5, 960, 160, se: true, ActivationKind.Hardswish, 1),
            Bneck(160, 5, 960, 160, se: true, ActivationKind.Hardswish, 1),
        ],
        hiddenChannels: 1280);

    /// <summary>MobileNetV3-Small at width 1.0: 2,542,856 parameters, 0.057 G multiply-accumulates at 224 px (torchvision).</summary>
    public static NetworkSpec MobileNetV3Small { get; } = MobileNetV3(
        "mobilenet_v3_small",
        [
            Bneck(16, 3, 16, 16, se: true, ActivationKind.ReLU, 2),
            Bneck(16, 3, 72, 24, se: false, ActivationKind.ReLU, 2),
            Bneck(24, 3, 88, 24, se: false, ActivationKind.ReLU, 1),
            Bneck(24, 5, 96, 40, se: true, ActivationKind.Hardswish, 2),
            Bneck(40, 5, 240, 40, se: true, ActivationKind.Hardswish, 1),
            Bneck(40, 5, 240, 40, se: true, ActivationKind.Hardswish, 1),
            Bneck(40, 5, 120, 48, se: true, ActivationKind.Hardswish, 1),
            Bneck(48, 5, 144, 48, se: true, ActivationKind.Hardswish, 1),
            Bneck(48, 5, 288, 96, se: true, ActivationKind.Hardswish, 2),
            Bneck(96, 5, 576, 96, se: true, ActivationKind.Hardswish, 1),
            Bneck(96, 5, 576, 96, se: true, ActivationKind.Hardswish, 1),
        ],
        hiddenChannels: 1024);

    /// <summary>
    /// The parts both sizes share: a 16-channel hard-swish stem, a head convolution with six times the last
    /// block's channels, the hidden classifier layer, BatchNorm ε 0.001 and momentum 0.01, flat blocks.
    /// </summary>
    private static NetworkSpec MobileNetV3(string name, StageSpec[] blocks, int hiddenChannels) => new()
    {
        Name = name,
        Family = NetworkFamily.MobileNetV3,
        Resolution = BaselineResolution,
        Stem = new StemSpec(16, 3, 2, ActivationKind.Hardswish),
        Stages = blocks,
        Head = new HeadSpec(6 * blocks[^1].OutChannels, ActivationKind.Hardswish) { IsFeatureLevel = true },
        Classifier = new ClassifierSpec(1000, 0.2, ClassifierInitialization.Normal) { HiddenChannels = hiddenChannels },
        BatchNorm = BatchNormSpec.TensorFlowPorted,
        Layout = FeatureLayout.FlatBlocks,
    };

    /// <summary>
    /// One of torchvision's <c>bneck_conf</c> rows as a one-block stage: the expanded channels are given, so the
    /// expand ratio is expanded / input (round(input · ratio) gives them back exactly).
    /// </summary>
    internal static StageSpec Bneck(int input, int kernel, int expanded, int output, bool se, ActivationKind activation, int stride) =>
        new(BlockKind.MobileNetV3, expanded / (double)input, kernel, stride, input, output, Repeats: 1, SqueezeRatio: se ? 0.25 : 0, activation);
}
