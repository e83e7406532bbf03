namespace EfficientNet.Sharp.Onnx.Int8;

/// <summary>How far a calibrated int8 export has come: the stage and the images it has run of the stage's total.</summary>
public sealed record CalibrationProgress
{
    /// <summary>Creates the <see cref="CalibrationProgress"/> from each of its values.</summary>
    /// <param name="Stage">"ranges", "histograms" (percentile and entropy only) or "comparison" (the held-out images through both files).</param>
    /// <param name="Images">Images run in this stage so far.</param>
    /// <param name="Total">Images the stage runs.</param>
    public CalibrationProgress(string Stage, int Images, int Total)
    {
        this.Stage = Stage;
        this.Images = Images;
        this.Total = Total;
    }

    /// <summary>"ranges", "histograms" (percentile and entropy only) or "comparison" (the held-out images through both files).</summary>
    public string Stage { get; init; }

    /// <summary>Images run in this stage so far.</summary>
    public int Images { get; init; }

    /// <summary>Images the stage runs.</summary>
    public int Total { get; init; }
}
