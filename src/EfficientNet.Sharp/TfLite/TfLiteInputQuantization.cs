namespace EfficientNet.Sharp.TfLite;

/// <summary>How a quantized TFLite model's input bytes map to the real values its first layer sees: real = scale · (q − zero point).</summary>
/// <param name="ElementType">"uint8" or "int8".</param>
/// <param name="Scale">The input's scale.</param>
/// <param name="ZeroPoint">The input's zero point.</param>
public sealed record TfLiteInputQuantization(string ElementType, double Scale, long ZeroPoint);
