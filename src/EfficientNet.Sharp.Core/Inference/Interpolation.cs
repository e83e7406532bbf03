namespace EfficientNet.Sharp.Inference;

/// <summary>How an image is resampled when resized.</summary>
public enum Interpolation
{
    /// <summary>Bilinear, with antialiasing when shrinking (torchvision's and PIL's bilinear).</summary>
    Bilinear,

    /// <summary>Bicubic, with antialiasing when shrinking (torchvision's and PIL's bicubic).</summary>
    Bicubic,

    /// <summary>
    /// Bilinear with half-pixel centres and no antialiasing: TensorFlow's and TFLite's <c>RESIZE_BILINEAR</c>
    /// with <c>half_pixel_centers = true</c>, which TFLite image classifiers are fed with.
    /// </summary>
    BilinearHalfPixel,
}
