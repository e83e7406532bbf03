using EfficientNet.Sharp.Specs;

namespace EfficientNet.Sharp.Scaling;

/// <summary>
/// The published EfficientNet-B0…B7 coefficients: (width, depth, resolution, dropout), identical in
/// TensorFlow's <c>efficientnet_builder.py</c>, lukemelas' <c>efficientnet_params</c>, timm, Keras and
/// torchvision. The released B1–B7 do not follow α^φ, β^φ, γ^φ (no source says how they were
/// rounded), so integer φ must come from this table rather than from the formula.
/// </summary>
internal static class EfficientNetLadder
{
    /// <summary>The largest φ with a published rung (B7).</summary>
    public const int MaxPhi = 7;

    private static readonly EfficientNetRung[] Rungs =
    [
        new(0, WidthMultiplier: 1.0, DepthMultiplier: 1.0, Resolution: 224, Dropout: 0.2, BatchNormSpec.PyTorchDefault),
        new(1, WidthMultiplier: 1.0, DepthMultiplier: 1.1, Resolution: 240, Dropout: 0.2, BatchNormSpec.PyTorchDefault),
        new(2, WidthMultiplier: 1.1, DepthMultiplier: 1.2, Resolution: 260, Dropout: 0.3, BatchNormSpec.PyTorchDefault),
        new(3, WidthMultiplier: 1.2, DepthMultiplier: 1.4, Resolution: 300, Dropout: 0.3, BatchNormSpec.PyTorchDefault),
        new(4, WidthMultiplier: 1.4, DepthMultiplier: 1.8, Resolution: 380, Dropout: 0.4, BatchNormSpec.PyTorchDefault),

        // torchvision's B5–B7 weights are lukemelas' TensorFlow ports, hence TensorFlow's BatchNorm settings.
        new(5, WidthMultiplier: 1.6, DepthMultiplier: 2.2, Resolution: 456, Dropout: 0.4, BatchNormSpec.TensorFlowPorted),
        new(6, WidthMultiplier: 1.8, DepthMultiplier: 2.6, Resolution: 528, Dropout: 0.5, BatchNormSpec.TensorFlowPorted),
        new(7, WidthMultiplier: 2.0, DepthMultiplier: 3.1, Resolution: 600, Dropout: 0.5, BatchNormSpec.TensorFlowPorted),
    ];

    /// <summary>The rung of EfficientNet-B<paramref name="variant"/>.</summary>
    /// <param name="variant">0…7.</param>
    /// <returns>The published coefficients.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="variant"/> is outside 0…7.</exception>
    public static EfficientNetRung Get(int variant)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(variant);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(variant, MaxPhi);
        return Rungs[variant];
    }
}

/// <summary>One published EfficientNet variant's scaling coefficients.</summary>
/// <param name="Variant">n in B<em>n</em>.</param>
/// <param name="WidthMultiplier">Channel multiplier w.</param>
/// <param name="DepthMultiplier">Repeat multiplier d.</param>
/// <param name="Resolution">Native input size in pixels.</param>
/// <param name="Dropout">Classifier dropout probability.</param>
/// <param name="BatchNorm">BatchNorm settings torchvision uses for this variant.</param>
internal sealed record EfficientNetRung(int Variant, double WidthMultiplier, double DepthMultiplier, int Resolution, double Dropout, BatchNormSpec BatchNorm);
