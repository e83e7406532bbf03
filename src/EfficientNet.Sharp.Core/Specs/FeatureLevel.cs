namespace EfficientNet.Sharp.Specs;

/// <summary>
/// One feature map a backbone offers to a detection or segmentation head: the output of the last block at one
/// reduction (timm's <c>feature_info</c> entry). Levels are numbered from 0, finest first.
/// </summary>
public sealed record FeatureLevel
{
    /// <summary>Creates the <see cref="FeatureLevel"/> from each of its values.</summary>
    /// <param name="Index">The level's position in <see cref="NetworkSpec.FeatureInfo"/>, as passed to <c>ForwardFeatures</c>.</param>
    /// <param name="ModulePath">The module whose output this is, e.g. <c>features.3</c> (a stage) or <c>features.6</c> (a block).</param>
    /// <param name="Channels">Channels of the feature map.</param>
    /// <param name="Reduction">How many input pixels one feature-map pixel spans along each side (2, 4, 8, 16, 32 for the presets).</param>
    public FeatureLevel(int Index, string ModulePath, int Channels, int Reduction)
    {
        this.Index = Index;
        this.ModulePath = ModulePath;
        this.Channels = Channels;
        this.Reduction = Reduction;
    }

    /// <summary>The level's position in <see cref="NetworkSpec.FeatureInfo"/>, as passed to <c>ForwardFeatures</c>.</summary>
    public int Index { get; init; }

    /// <summary>The module whose output this is, e.g. <c>features.3</c> (a stage) or <c>features.6</c> (a block).</summary>
    public string ModulePath { get; init; }

    /// <summary>Channels of the feature map.</summary>
    public int Channels { get; init; }

    /// <summary>How many input pixels one feature-map pixel spans along each side (2, 4, 8, 16, 32 for the presets).</summary>
    public int Reduction { get; init; }

    /// <summary>The child of <c>features</c> whose output this level is.</summary>
    internal int FeaturesChild { get; init; }
}
