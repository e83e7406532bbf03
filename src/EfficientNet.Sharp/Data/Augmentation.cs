namespace EfficientNet.Sharp.Data;

/// <summary>How <see cref="ImageTransform"/> varies training images.</summary>
public enum Augmentation
{
    /// <summary>None: the evaluation view (a centred square crop resized to the resolution).</summary>
    None,

    /// <summary>
    /// Shift by up to <see cref="ImageTransform.PadFraction"/> of the side in each direction, filling with black
    /// (torchvision's <c>RandomCrop(padding=4)</c> on 32-pixel images), then a random horizontal flip.
    /// The usual choice for small images such as Fashion-MNIST and CIFAR.
    /// </summary>
    PadAndCrop,

    /// <summary>
    /// torchvision's <c>RandomResizedCrop</c> (8–100 % of the area, aspect ratio 3/4 to 4/3) and a random
    /// horizontal flip: the ImageNet recipe, for photographs.
    /// </summary>
    RandomResizedCrop,
}
