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

    /// <summary>Builds the network (untrained; load weights with <c>LoadPretrained</c>).</summary>
    /// <returns>A new network the caller owns.</returns>
    public ConvNetwork Build() => new(Spec);
}
