namespace EfficientNet.Sharp.Inference;

/// <summary>How an evaluation transform brings an image to the network's square input.</summary>
public enum ResizeMode
{
    /// <summary>Resize the shorter side, keeping the aspect ratio, then crop the center square (torchvision, timm).</summary>
    ShorterSideThenCenterCrop,

    /// <summary>Resize the whole image to the square input, ignoring the aspect ratio and cropping nothing (TFLite classifiers).</summary>
    Stretch,
}
