namespace EfficientNet.Sharp.Inference;

/// <summary>How an image is resampled when resized.</summary>
public enum Interpolation
{
    /// <summary>Bilinear, with antialiasing when shrinking (torchvision's and PIL's bilinear).</summary>
    Bilinear,

    /// <summary>Bicubic, with antialiasing when shrinking (torchvision's and PIL's bicubic).</summary>
    Bicubic,
}
