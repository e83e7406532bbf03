namespace EfficientNet.Sharp.Weights;

/// <summary>How a checkpoint names its tensors.</summary>
public enum KeyLayout
{
    /// <summary>Decide from the keys: <c>conv_stem.weight</c> means timm, <c>_conv_stem.weight</c> lukemelas, anything else torchvision.</summary>
    Auto,

    /// <summary>torchvision's names (<c>features.1.0.block.0.0.weight</c>, …), which this library's modules use too.</summary>
    Torchvision,

    /// <summary>timm's names (<c>conv_stem</c>, <c>bn1</c>, <c>blocks.1.0.conv_pw</c>, …).</summary>
    Timm,

    /// <summary>lukemelas' EfficientNet-PyTorch names (<c>_conv_stem</c>, <c>_blocks.3._expand_conv</c>, …).</summary>
    Lukemelas,
}
