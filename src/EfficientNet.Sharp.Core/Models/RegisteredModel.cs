using EfficientNet.Sharp.Specs;
using EfficientNet.Sharp.Weights;

namespace EfficientNet.Sharp.Models;

/// <summary>One named architecture of the <see cref="ModelRegistry"/>, with the published weights that fit it.</summary>
public sealed record RegisteredModel
{
    /// <summary>torchvision's model name (<c>efficientnet_b0</c>, <c>mobilenet_v3_large</c>, …), or timm's style for families torchvision lacks.</summary>
    public required string Name { get; init; }

    /// <summary>Other spellings that find it (<c>b0</c>, <c>lite0</c>); hyphens and underscores are interchangeable in all names.</summary>
    public IReadOnlyList<string> Aliases { get; init; } = [];

    /// <summary>The architecture at its native resolution.</summary>
    public required NetworkSpec Spec { get; init; }

    /// <summary>The catalog weights made for this architecture, the default first; empty when none are published.</summary>
    public IReadOnlyList<PretrainedWeights> Weights { get; init; } = [];

    /// <summary>torchvision's default weights for the name, or <see langword="null"/> when none are published.</summary>
    public PretrainedWeights? DefaultWeights => Weights.Count > 0 ? Weights[0] : null;

    /// <summary>Whether <see cref="ModelOverrides.Width"/> applies: every family has a width multiplier but EfficientNet-Lite, whose variants are fixed.</summary>
    public bool ScalesWidth => Scaling is not null;

    /// <summary>Whether <see cref="ModelOverrides.Depth"/> applies (EfficientNet and EfficientNetV2).</summary>
    public bool ScalesDepth => Scaling?.Depth ?? false;

    /// <summary>The dimensions the model scales in, as reports and JSON name them: width and depth where its builder has them, and resolution always.</summary>
    internal IReadOnlyList<string> ScaledDimensions => [.. new[] { ScalesWidth ? "width" : null, ScalesDepth ? "depth" : null, "resolution" }.OfType<string>()];

    /// <summary>Why a width cannot be given, for errors: the family's reason where it has one.</summary>
    internal string NoWidthMessage =>
        $"{Name} has no width multiplier{(Families.FamilyDescriptors.Of(Spec.Family).FixedWidthReason is { } reason ? $": {reason}" : "")}.";

    /// <summary>Why a depth cannot be given, for errors: which families' models have one, from the registry.</summary>
    internal string NoDepthMessage =>
        $"{Name} has no depth multiplier ({string.Join(" and ", ModelRegistry.All.Where(model => model.ScalesDepth).Select(model => model.Spec.Family).Distinct())} models have one).";

    /// <summary>The builder behind <see cref="BuildSpec"/>; without one, only the resolution and class count can change.</summary>
    internal ModelScaling? Scaling { get; init; }

    /// <summary>The architecture with some of its settings changed, built by its family's builder (so channel rounding and names are the family's).</summary>
    /// <param name="overrides">What to change; <see langword="null"/> or empty gives <see cref="Spec"/>'s architecture.</param>
    /// <returns>The spec.</returns>
    /// <exception cref="ArgumentException">A multiplier the family does not have was given, or a value is out of range (the message names it).</exception>
    public NetworkSpec BuildSpec(ModelOverrides? overrides = null)
    {
        overrides ??= new ModelOverrides();
        if (overrides.Width is not null && !ScalesWidth)
        {
            throw new ArgumentException(NoWidthMessage, nameof(overrides));
        }

        if (overrides.Depth is not null && !ScalesDepth)
        {
            throw new ArgumentException(NoDepthMessage, nameof(overrides));
        }

        if (Scaling is { } scaling)
        {
            return scaling.Build(overrides);
        }

        NetworkSpec spec = Spec with
        {
            Resolution = overrides.Resolution ?? Spec.Resolution,
            Classifier = Spec.Classifier with { NumClasses = overrides.NumClasses ?? Spec.Classifier.NumClasses },
        };
        spec.Validate();
        return spec;
    }
}
