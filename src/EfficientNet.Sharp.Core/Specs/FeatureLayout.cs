namespace EfficientNet.Sharp.Specs;

/// <summary>
/// How blocks are arranged inside the network's <c>features</c> container. The choice follows the
/// reference implementation of each family so that state_dict keys match it.
/// </summary>
public enum FeatureLayout
{
    /// <summary>
    /// Every block is a direct child of <c>features</c> (<c>features.1</c>, <c>features.2</c>, …),
    /// as in torchvision's MobileNetV2.
    /// </summary>
    FlatBlocks,

    /// <summary>
    /// Each stage is a <c>Sequential</c> child of <c>features</c> holding its blocks
    /// (<c>features.1.0</c>, <c>features.2.1</c>, …), as in torchvision's EfficientNet.
    /// </summary>
    StageSequentials,
}
