namespace EfficientNet.Sharp.Onnx.Int8;

/// <summary>What a calibrated int8 export wrote, and how closely the int8 file follows the float one.</summary>
public sealed record Int8ExportReport
{
    internal Int8ExportReport()
    {
    }

    /// <summary>The file written (or, for a refused file, what would have been).</summary>
    public required OnnxExportReport File { get; init; }

    /// <summary>The calibration method used.</summary>
    public CalibrationMethod Method { get; init; }

    /// <summary>Images the ranges were calibrated on.</summary>
    public int CalibrationImages { get; init; }

    /// <summary>Held-out images the two files were compared on.</summary>
    public int HeldOutImages { get; init; }

    /// <summary>The fraction of held-out images on which the int8 file's top-1 class is the float file's (0 to 1).</summary>
    public double TopOneAgreement { get; init; }

    /// <summary>
    /// The output's signal-to-quantization-noise ratio on the held-out images, in decibels: 10 log₁₀(Σ float² / Σ (int8 − float)²)
    /// over every output value; 20 dB is noise a tenth of the signal's size, 30 dB a thirtieth.
    /// </summary>
    public double SignalToNoiseDecibels { get; init; }

    /// <summary>Activations quantized to 8 bits (quantization points: the input, layer outputs, residual sums, the pooled features).</summary>
    public int QuantizedActivations { get; init; }

    /// <summary>The activations kept float, with the reason, e.g. <c>features.1.block.0.0: SiLU output</c>.</summary>
    public IReadOnlyList<string> FloatActivations { get; init; } = [];
}
