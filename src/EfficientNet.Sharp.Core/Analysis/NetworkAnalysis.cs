using EfficientNet.Sharp.Specs;

namespace EfficientNet.Sharp.Analysis;

/// <summary>
/// What a network costs, computed from its spec without running it: parameters, multiply-accumulates
/// and activation memory, layer by layer and part by part. Produced by <see cref="NetworkAnalyzer"/>.
/// </summary>
public sealed record NetworkAnalysis
{
    /// <summary>The analysed network.</summary>
    public required NetworkSpec Spec { get; init; }

    /// <summary>Input height in pixels.</summary>
    public required int InputHeight { get; init; }

    /// <summary>Input width in pixels.</summary>
    public required int InputWidth { get; init; }

    /// <summary>Images per batch, for the memory figures.</summary>
    public required int BatchSize { get; init; }

    /// <summary>Bytes per tensor element (4 for float32).</summary>
    public required int ElementBytes { get; init; }

    /// <summary>Every convolution, squeeze-and-excitation convolution and linear layer, in forward order.</summary>
    public required IReadOnlyList<LayerCost> Layers { get; init; }

    /// <summary>Stem, each stage, head and classifier, in forward order.</summary>
    public required IReadOnlyList<PartCost> Parts { get; init; }

    /// <summary>Bytes of the input batch.</summary>
    public required long InputBytes { get; init; }

    /// <summary>Learnable parameters (equal to the built module's count).</summary>
    public long Parameters => Layers.Sum(l => l.Parameters);

    /// <summary>
    /// Multiply-accumulates of one image: every convolution (squeeze-and-excitation included) and the
    /// linear layer. BatchNorm, activations, pooling, the SE rescaling, residual additions and biases
    /// are not counted, as in torchvision's GFLOPS column and the EfficientNet paper's FLOPs.
    /// </summary>
    public long MultiplyAccumulates => Layers.Sum(l => l.MultiplyAccumulates);

    /// <summary>Multiply-accumulates of one image in billions (torchvision's "GFLOPS").</summary>
    public double GigaMultiplyAccumulates => MultiplyAccumulates / 1e9;

    /// <summary>Bytes of the learnable parameters.</summary>
    public long ParameterBytes => Parameters * ElementBytes;

    /// <summary>Bytes of BatchNorm's running mean and variance (plus its 8-byte batch counter).</summary>
    public long BufferBytes => Layers
        .Where(l => l.Kind is LayerKind.Convolution or LayerKind.DepthwiseConvolution)
        .Sum(l => (2L * l.OutChannels * ElementBytes) + sizeof(long));

    /// <summary>
    /// The most activation memory alive at once during an inference forward pass of the batch, input
    /// included: the tensors this library's forward pass holds at its busiest moment. Not included:
    /// libtorch's temporary convolution workspaces and allocator overhead.
    /// </summary>
    public long InferencePeakActivationBytes => Parts.Max(p => p.InferencePeakActivationBytes);

    /// <summary>
    /// Activation memory a training step keeps from the forward pass until backward, input included:
    /// every tensor the forward pass creates (each is needed by some backward function). Gradients and
    /// optimizer state come on top.
    /// </summary>
    public long TrainingActivationBytes => InputBytes + Parts.Sum(p => p.TrainingActivationBytes);

    /// <summary>Estimated peak memory of inference: parameters, buffers and the activation peak.</summary>
    public long EstimatedInferencePeakBytes => ParameterBytes + BufferBytes + InferencePeakActivationBytes;
}
