namespace EfficientNet.Sharp.Specs;

/// <summary>
/// A stage: <see cref="Repeats"/> blocks of one kind. Only the first block applies the stage's
/// stride and changes channels from <see cref="InChannels"/> to <see cref="OutChannels"/>; the
/// repeated blocks use stride 1 and keep <see cref="OutChannels"/> (as in every reference).
/// </summary>
public sealed record StageSpec
{
    /// <summary>Creates the <see cref="StageSpec"/> from each of its values.</summary>
    /// <param name="Block">The block kind.</param>
    /// <param name="ExpandRatio">Hidden-to-input channel ratio of the expansion (1 = no expansion convolution).</param>
    /// <param name="KernelSize">Depthwise kernel size in pixels (odd).</param>
    /// <param name="Stride">Stride of the first block's depthwise convolution (1 or 2).</param>
    /// <param name="InChannels">Input channels of the first block.</param>
    /// <param name="OutChannels">Output channels of every block.</param>
    /// <param name="Repeats">Number of blocks (at least 1).</param>
    /// <param name="SqueezeRatio">Squeeze-and-excitation ratio relative to the block's input channels (0 = no SE).</param>
    /// <param name="Activation">Activation after the expansion and depthwise convolutions.</param>
    public StageSpec(BlockKind Block, double ExpandRatio, int KernelSize, int Stride, int InChannels, int OutChannels, int Repeats, double SqueezeRatio, ActivationKind Activation)
    {
        this.Block = Block;
        this.ExpandRatio = ExpandRatio;
        this.KernelSize = KernelSize;
        this.Stride = Stride;
        this.InChannels = InChannels;
        this.OutChannels = OutChannels;
        this.Repeats = Repeats;
        this.SqueezeRatio = SqueezeRatio;
        this.Activation = Activation;
    }

    /// <summary>The block kind.</summary>
    public BlockKind Block { get; init; }

    /// <summary>Hidden-to-input channel ratio of the expansion (1 = no expansion convolution).</summary>
    public double ExpandRatio { get; init; }

    /// <summary>Depthwise kernel size in pixels (odd).</summary>
    public int KernelSize { get; init; }

    /// <summary>Stride of the first block's depthwise convolution (1 or 2).</summary>
    public int Stride { get; init; }

    /// <summary>Input channels of the first block.</summary>
    public int InChannels { get; init; }

    /// <summary>Output channels of every block.</summary>
    public int OutChannels { get; init; }

    /// <summary>Number of blocks (at least 1).</summary>
    public int Repeats { get; init; }

    /// <summary>Squeeze-and-excitation ratio relative to the block's input channels (0 = no SE).</summary>
    public double SqueezeRatio { get; init; }

    /// <summary>Activation after the expansion and depthwise convolutions.</summary>
    public ActivationKind Activation { get; init; }
}
