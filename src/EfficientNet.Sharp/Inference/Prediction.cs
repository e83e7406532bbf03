namespace EfficientNet.Sharp.Inference;

/// <summary>One class of a classification, with its softmax probability.</summary>
/// <param name="ClassIndex">The class index (0-based).</param>
/// <param name="Label">The class name, or the index as text when no names are known.</param>
/// <param name="Probability">Softmax probability in [0, 1].</param>
public sealed record Prediction(int ClassIndex, string Label, float Probability);
