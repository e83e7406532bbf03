namespace EfficientNet.Sharp.Onnx.Int8;

/// <summary>How calibration chooses the range an activation's 8-bit grid covers.</summary>
public enum CalibrationMethod
{
    /// <summary>The smallest and largest values seen: nothing is clipped, and rare outliers coarsen the grid for all.</summary>
    MinMax,

    /// <summary>The 0.01 % and 99.99 % percentiles of the values seen: the rarest outliers are clipped for a finer grid.</summary>
    Percentile,

    /// <summary>The clipping threshold whose grid loses the least information (Kullback–Leibler divergence, as TensorRT chooses it).</summary>
    Entropy,
}
