namespace EfficientNet.Sharp.Inference;

/// <summary>One class of a classification, with its softmax probability.</summary>
public sealed record Prediction
{
    internal Prediction(int classIndex, string label, float probability)
    {
        ClassIndex = classIndex;
        Label = label;
        Probability = probability;
    }

    /// <summary>The class index (0-based).</summary>
    public int ClassIndex { get; init; }

    /// <summary>The class name, or the index as text when no names are known.</summary>
    public string Label { get; init; }

    /// <summary>Softmax probability in [0, 1].</summary>
    public float Probability { get; init; }
}
