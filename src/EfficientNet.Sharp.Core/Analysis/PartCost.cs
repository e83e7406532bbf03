namespace EfficientNet.Sharp.Analysis;

/// <summary>What one part of a network (stem, a stage, head, classifier) costs.</summary>
public sealed record PartCost
{
    internal PartCost(string name, long parameters, long multiplyAccumulates, int outputHeight, int outputWidth, long inferencePeakActivationBytes, long trainingActivationBytes)
    {
        Name = name;
        Parameters = parameters;
        MultiplyAccumulates = multiplyAccumulates;
        OutputHeight = outputHeight;
        OutputWidth = outputWidth;
        InferencePeakActivationBytes = inferencePeakActivationBytes;
        TrainingActivationBytes = trainingActivationBytes;
    }

    /// <summary>The part: <c>stem</c>, <c>stage 1</c> … <c>stage N</c>, <c>head</c> or <c>classifier</c>.</summary>
    public string Name { get; init; }

    /// <summary>Learnable parameters of the part.</summary>
    public long Parameters { get; init; }

    /// <summary>Multiply-accumulates of the part for one image.</summary>
    public long MultiplyAccumulates { get; init; }

    /// <summary>Height in pixels of the part's output feature map (1 for the classifier).</summary>
    public int OutputHeight { get; init; }

    /// <summary>Width in pixels of the part's output feature map (1 for the classifier).</summary>
    public int OutputWidth { get; init; }

    /// <summary>The most activation memory alive at once while the part runs at inference, for the whole batch, counting what earlier layers still hold.</summary>
    public long InferencePeakActivationBytes { get; init; }

    /// <summary>Activation memory the part adds to a training step (the tensors autograd keeps for backward), for the whole batch.</summary>
    public long TrainingActivationBytes { get; init; }
}
