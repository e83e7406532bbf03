namespace EfficientNet.Sharp.Analysis;

/// <summary>What one part of a network (stem, a stage, head, classifier) costs.</summary>
/// <param name="Name">The part: <c>stem</c>, <c>stage 1</c> … <c>stage N</c>, <c>head</c> or <c>classifier</c>.</param>
/// <param name="Parameters">Learnable parameters of the part.</param>
/// <param name="MultiplyAccumulates">Multiply-accumulates of the part for one image.</param>
/// <param name="OutputHeight">Height in pixels of the part's output feature map (1 for the classifier).</param>
/// <param name="OutputWidth">Width in pixels of the part's output feature map (1 for the classifier).</param>
/// <param name="InferencePeakActivationBytes">The most activation memory alive at once while the part runs at inference, for the whole batch, counting what earlier layers still hold.</param>
/// <param name="TrainingActivationBytes">Activation memory the part adds to a training step (the tensors autograd keeps for backward), for the whole batch.</param>
public sealed record PartCost(
    string Name,
    long Parameters,
    long MultiplyAccumulates,
    int OutputHeight,
    int OutputWidth,
    long InferencePeakActivationBytes,
    long TrainingActivationBytes);
