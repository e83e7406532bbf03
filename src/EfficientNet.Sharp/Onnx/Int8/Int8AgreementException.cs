namespace EfficientNet.Sharp.Onnx.Int8;

/// <summary>The int8 file agreed with the float file on fewer held-out images than <see cref="Int8Calibration.MaxAgreementDrop"/> allows; nothing was written.</summary>
public sealed class Int8AgreementException : Exception
{
    /// <summary>Creates the exception; <paramref name="report"/> holds the measured figures.</summary>
    /// <param name="message">What was refused and why.</param>
    /// <param name="report">The measurements of the refused file.</param>
    public Int8AgreementException(string message, Int8ExportReport report)
        : base(message)
    {
        Report = report;
    }

    /// <summary>The measurements of the refused file.</summary>
    public Int8ExportReport Report { get; }
}
