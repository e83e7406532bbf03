namespace EfficientNet.Sharp.TfLite;

/// <summary>How a quantized TFLite model's input bytes map to the real values its first layer sees: real = scale · (q − zero point).</summary>
public sealed record TfLiteInputQuantization
{
    internal TfLiteInputQuantization(string elementType, double scale, long zeroPoint)
    {
        ElementType = elementType;
        Scale = scale;
        ZeroPoint = zeroPoint;
    }

    /// <summary>"uint8" or "int8".</summary>
    public string ElementType { get; init; }

    /// <summary>The input's scale.</summary>
    public double Scale { get; init; }

    /// <summary>The input's zero point.</summary>
    public long ZeroPoint { get; init; }
}
