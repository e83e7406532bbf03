using System.Diagnostics.CodeAnalysis;

namespace EfficientNet.Sharp.Inference;

/// <summary>One class of a classification, with its softmax probability.</summary>
/// <remarks>Constructible with an object initializer, for classifiers outside this package (ONNX Runtime's); new properties will be optional.</remarks>
public sealed record Prediction
{
    /// <summary>Creates a prediction; set every required property.</summary>
    public Prediction()
    {
    }

    [SetsRequiredMembers]
    internal Prediction(int classIndex, string label, float probability)
    {
        ClassIndex = classIndex;
        Label = label;
        Probability = probability;
    }

    /// <summary>The class index (0-based).</summary>
    public required int ClassIndex { get; init; }

    /// <summary>The class name, or the index as text when no names are known.</summary>
    public required string Label { get; init; }

    /// <summary>Softmax probability in [0, 1].</summary>
    public required float Probability { get; init; }
}
