using EfficientNet.Sharp.Data;
using EfficientNet.Sharp.Inference;

namespace EfficientNet.Sharp.Onnx.Int8;

/// <summary>
/// How a float network is quantized to int8 after training: the images that calibrate its activations' ranges, the
/// method that chooses them, which operations stay float, and how much disagreement with the float file is accepted.
/// Weights are symmetric with one scale per output channel (<see cref="Weights"/>); activations uint8 with one scale per tensor.
/// </summary>
public sealed record Int8Calibration
{
    /// <summary>Default number of calibration images.</summary>
    public const int DefaultImageCount = 300;

    /// <summary>Default number of held-out images the report compares the int8 file with the float file on.</summary>
    public const int DefaultHeldOutImageCount = 200;

    /// <summary>The images to draw calibration and held-out images from (a seeded sample; their labels are not used).</summary>
    public required ImageDataset Images { get; init; }

    /// <summary>Calibration images (default 300): a few hundred cover the ranges; more cost time and change little.</summary>
    public int ImageCount { get; init; } = DefaultImageCount;

    /// <summary>Held-out images, distinct from the calibration ones, for the report's agreement and noise figures (default 200; fewer when the dataset has fewer).</summary>
    public int HeldOutImageCount { get; init; } = DefaultHeldOutImageCount;

    /// <summary>How each activation's range is chosen (default <see cref="CalibrationMethod.Percentile"/>).</summary>
    public CalibrationMethod Method { get; init; } = CalibrationMethod.Percentile;

    /// <summary>
    /// Quantize the outputs of SiLU and hard-swish too (default false: they stay float, since int8 is known to hurt
    /// them — EfficientNet-B0 falls from 77.7 % to about 47 % in reported post-training results). Squeeze-and-excitation's
    /// pooling, small convolutions and sigmoid gate stay float either way.
    /// </summary>
    public bool FullInteger { get; init; }

    /// <summary>
    /// The largest drop in top-1 agreement with the float file that is accepted, as a fraction (0.02 = 2 points):
    /// a file that agrees on fewer held-out images is not written. <see langword="null"/> (the default) accepts any.
    /// </summary>
    public double? MaxAgreementDrop { get; init; }

    /// <summary>How the weights are stored (default <see cref="Int8WeightFormat.ReducedRange"/>: exact and fast on every x64 CPU).</summary>
    public Int8WeightFormat Weights { get; init; } = Int8WeightFormat.ReducedRange;

    /// <summary>The preprocessing of the images; the network's own (<c>ConvNetwork.Preprocessing</c>) when <see langword="null"/>.</summary>
    public EvalTransform? Transform { get; init; }

    /// <summary>Orders the sample of calibration and held-out images.</summary>
    public int Seed { get; init; }
}
