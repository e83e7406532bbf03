namespace EfficientNet.Sharp.Specs;

/// <summary>How strided convolutions pad their input. Weights trained with one mode give wrong answers with the other.</summary>
public enum PaddingMode
{
    /// <summary>(k − 1) / 2 pixels on every side: PyTorch's convention, used by torchvision and timm's <c>efficientnet_*</c> weights.</summary>
    Symmetric,

    /// <summary>
    /// TensorFlow's "SAME": the output has ⌈input / stride⌉ pixels and the padding that takes is split
    /// with the extra pixel at the bottom and right. For stride 2 on an even input it differs from
    /// symmetric padding by one pixel. Used by TensorFlow checkpoints and their ports (lukemelas,
    /// timm <c>tf_*</c>, TFLite files).
    /// </summary>
    TensorFlowSame,
}
