namespace EfficientNet.Sharp.Specs;

/// <summary>
/// Where each part of a spec lives in the module tree (<c>features.0</c> is the stem, blocks follow, the head
/// convolution is the last child of <c>features</c>). The one place that turns a spec position into a module path:
/// weight keys, the cost walk and the backbone's feature levels all read it.
/// </summary>
internal static class ModulePaths
{
    /// <summary>The stem convolution layer.</summary>
    public const string Stem = "features.0";

    /// <summary>The child of <c>features</c> that holds the block: the block itself (flat layout) or its stage's <c>Sequential</c>.</summary>
    public static int FeaturesChildOf(NetworkSpec spec, BlockSpec block) =>
        1 + (IsFlat(spec) ? block.Index : block.StageIndex);

    /// <summary>The block's module: <c>features.{i}</c> in the flat layout, <c>features.{stage}.{j}</c> with stage containers.</summary>
    public static string Block(NetworkSpec spec, BlockSpec block) =>
        IsFlat(spec) ? $"features.{FeaturesChildOf(spec, block)}" : $"features.{FeaturesChildOf(spec, block)}.{block.IndexInStage}";

    /// <summary>The child of <c>features</c> that holds the head convolution, after every block.</summary>
    public static int HeadChild(NetworkSpec spec) => 1 + (IsFlat(spec) ? spec.BlockCount : spec.Stages.Count);

    /// <summary>The head convolution layer (present only when <see cref="NetworkSpec.Head"/> is set).</summary>
    public static string Head(NetworkSpec spec) => $"features.{HeadChild(spec)}";

    /// <summary>The classifier's last linear layer: <c>classifier.1</c>, or <c>classifier.3</c> after MobileNetV3's hidden layer.</summary>
    public static string ClassifierOutput(NetworkSpec spec) => spec.Classifier.HiddenChannels is null ? "classifier.1" : "classifier.3";

    /// <summary>MobileNetV3's hidden linear layer (present only when <see cref="ClassifierSpec.HiddenChannels"/> is set).</summary>
    public const string ClassifierHidden = "classifier.0";

    private static bool IsFlat(NetworkSpec spec) => spec.Layout switch
    {
        FeatureLayout.FlatBlocks => true,
        FeatureLayout.StageSequentials => false,
        _ => throw new NotSupportedException($"Feature layout {spec.Layout} has no module paths."),
    };
}
