namespace EfficientNet.Sharp.Onnx.Int8;

/// <summary>How far a calibrated int8 export has come: the stage and the images it has run of the stage's total.</summary>
/// <param name="Stage">"ranges", "histograms" (percentile and entropy only) or "comparison" (the held-out images through both files).</param>
/// <param name="Images">Images run in this stage so far.</param>
/// <param name="Total">Images the stage runs.</param>
public sealed record CalibrationProgress(string Stage, int Images, int Total);
