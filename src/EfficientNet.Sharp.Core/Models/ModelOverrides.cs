namespace EfficientNet.Sharp.Models;

/// <summary>
/// What <see cref="RegisteredModel.BuildSpec"/> may change about a named architecture: its width and depth
/// multipliers (where its family has them), the input size it is built for, and its class count. Unset values
/// keep the model's own.
/// </summary>
public sealed record ModelOverrides
{
    /// <summary>The width multiplier (EfficientNet's w, MobileNet's α), replacing the model's own.</summary>
    public double? Width { get; init; }

    /// <summary>The depth multiplier (EfficientNet and EfficientNetV2 only), replacing the model's own.</summary>
    public double? Depth { get; init; }

    /// <summary>The input size in pixels.</summary>
    public int? Resolution { get; init; }

    /// <summary>The class count (0 for a headless network).</summary>
    public int? NumClasses { get; init; }
}
