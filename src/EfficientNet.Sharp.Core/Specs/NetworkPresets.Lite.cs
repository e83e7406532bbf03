using EfficientNet.Sharp.Scaling;

namespace EfficientNet.Sharp.Specs;

/// <summary>EfficientNet-Lite0…4: the published variants of TensorFlow's <c>efficientnet_lite_builder.py</c>.</summary>
public static partial class NetworkPresets
{
    /// <summary>The number of published EfficientNet-Lite variants (Lite0…Lite4).</summary>
    public const int EfficientNetLiteVariants = 5;

    // (width, depth, resolution, dropout) of lite0…lite4, from the TF builder's efficientnet_lite_params; top-1 is
    // the float model's ImageNet accuracy in TensorFlow's EfficientNet-Lite README.
    private static readonly (double Width, double Depth, int Resolution, double Dropout, double Top1)[] LiteRungs =
    [
        (1.0, 1.0, 224, 0.2, 75.1),
        (1.0, 1.1, 240, 0.2, 76.7),
        (1.1, 1.2, 260, 0.3, 77.6),
        (1.2, 1.4, 280, 0.3, 79.8),
        (1.4, 1.8, 300, 0.3, 81.5),
    ];

    /// <summary>EfficientNet-Lite<paramref name="variant"/>'s published ImageNet top-1 (float model, TensorFlow's README): 75.1% … 81.5%.</summary>
    /// <param name="variant">0…4.</param>
    /// <returns>Top-1 accuracy in percent.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="variant"/> is not 0…4.</exception>
    public static double EfficientNetLitePublishedTop1(int variant) =>
        variant is >= 0 and < EfficientNetLiteVariants
            ? LiteRungs[variant].Top1
            : throw new ArgumentOutOfRangeException(nameof(variant), variant, $"EfficientNet-Lite variants are 0…{EfficientNetLiteVariants - 1}.");

    /// <summary>
    /// EfficientNet-Lite<paramref name="variant"/>: EfficientNet-B0's stages without squeeze-and-excitation,
    /// with ReLU6, scaled by the variant's width and depth — except the 32-channel stem, the 1280-channel head
    /// and the repeats of the first and last stage, which stay fixed (the only reading under which the
    /// published parameter counts 4.7M…13.0M come out). BatchNorm ε = 1e-3 as in TensorFlow.
    /// </summary>
    /// <param name="variant">0…4.</param>
    /// <returns>The spec, with 1000 classes and symmetric padding (use <c>with</c> to change them).</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="variant"/> is not 0…4.</exception>
    public static NetworkSpec EfficientNetLite(int variant)
    {
        if (variant is < 0 or >= EfficientNetLiteVariants)
        {
            throw new ArgumentOutOfRangeException(nameof(variant), variant, $"EfficientNet-Lite variants are 0…{EfficientNetLiteVariants - 1}.");
        }

        (double width, double depth, int resolution, double dropout, _) = LiteRungs[variant];
        NetworkSpec b0 = EfficientNetB0;

        // B0 without squeeze-and-excitation and with ReLU6, scaled by the builder's rounding with Lite's fixed parts.
        NetworkSpec lite = b0 with
        {
            Stem = b0.Stem with { Activation = ActivationKind.ReLU6 },
            Stages = [.. b0.Stages.Select(stage => stage with { SqueezeRatio = 0, Activation = ActivationKind.ReLU6 })],
            Head = new HeadSpec(1280, ActivationKind.ReLU6),
        };
        NetworkSpec scaled = EfficientNetBuilder.ScaleBaseline(lite, width, depth, fixedStemAndHead: true, fixedFirstAndLastRepeats: true);
        NetworkSpec spec = scaled with
        {
            Name = $"efficientnet_lite{variant}",
            Family = NetworkFamily.EfficientNetLite,
            Resolution = resolution,
            Classifier = b0.Classifier with { Dropout = dropout },
            BatchNorm = BatchNormSpec.TensorFlowPorted,
            Scaling = new ScalingSpec(ScalingRule.PublishedLadder, variant, width, depth, resolution / (double)BaselineResolution, null),
        };
        spec.Validate();
        return spec;
    }
}
