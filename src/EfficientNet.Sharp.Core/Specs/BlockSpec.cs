using EfficientNet.Sharp.Scaling;

namespace EfficientNet.Sharp.Specs;

/// <summary>One block of a network, as a stage expands into its repeats (see <see cref="NetworkSpec.Blocks"/>).</summary>
public sealed record BlockSpec
{
    /// <summary>Creates the <see cref="BlockSpec"/> from each of its values.</summary>
    /// <param name="Kind">The block kind.</param>
    /// <param name="StageIndex">0-based index of the stage the block belongs to.</param>
    /// <param name="IndexInStage">0-based position of the block inside its stage.</param>
    /// <param name="Index">0-based position of the block among all blocks of the network.</param>
    /// <param name="InChannels">Input channels.</param>
    /// <param name="OutChannels">Output channels.</param>
    /// <param name="KernelSize">Depthwise kernel size in pixels.</param>
    /// <param name="Stride">Depthwise stride.</param>
    /// <param name="ExpandRatio">Hidden-to-input channel ratio.</param>
    /// <param name="SqueezeRatio">Squeeze-and-excitation ratio relative to <see cref="InChannels"/> (0 = none).</param>
    /// <param name="Activation">Activation of the expansion and depthwise convolutions.</param>
    /// <param name="StochasticDepthProbability">Probability that the residual branch is dropped for a sample during training.</param>
    public BlockSpec(BlockKind Kind, int StageIndex, int IndexInStage, int Index, int InChannels, int OutChannels, int KernelSize, int Stride, double ExpandRatio, double SqueezeRatio, ActivationKind Activation, double StochasticDepthProbability)
    {
        this.Kind = Kind;
        this.StageIndex = StageIndex;
        this.IndexInStage = IndexInStage;
        this.Index = Index;
        this.InChannels = InChannels;
        this.OutChannels = OutChannels;
        this.KernelSize = KernelSize;
        this.Stride = Stride;
        this.ExpandRatio = ExpandRatio;
        this.SqueezeRatio = SqueezeRatio;
        this.Activation = Activation;
        this.StochasticDepthProbability = StochasticDepthProbability;
    }

    /// <summary>The block kind.</summary>
    public BlockKind Kind { get; init; }

    /// <summary>0-based index of the stage the block belongs to.</summary>
    public int StageIndex { get; init; }

    /// <summary>0-based position of the block inside its stage.</summary>
    public int IndexInStage { get; init; }

    /// <summary>0-based position of the block among all blocks of the network.</summary>
    public int Index { get; init; }

    /// <summary>Input channels.</summary>
    public int InChannels { get; init; }

    /// <summary>Output channels.</summary>
    public int OutChannels { get; init; }

    /// <summary>Depthwise kernel size in pixels.</summary>
    public int KernelSize { get; init; }

    /// <summary>Depthwise stride.</summary>
    public int Stride { get; init; }

    /// <summary>Hidden-to-input channel ratio.</summary>
    public double ExpandRatio { get; init; }

    /// <summary>Squeeze-and-excitation ratio relative to <see cref="InChannels"/> (0 = none).</summary>
    public double SqueezeRatio { get; init; }

    /// <summary>Activation of the expansion and depthwise convolutions.</summary>
    public ActivationKind Activation { get; init; }

    /// <summary>Probability that the residual branch is dropped for a sample during training.</summary>
    public double StochasticDepthProbability { get; init; }

    /// <summary>Channels between the expansion and the projection (equal to the input when nothing expands).</summary>
    public int ExpandedChannels => ExpandedChannelsOf(Kind, InChannels, ExpandRatio);

    /// <summary>Channels inside the squeeze-and-excitation bottleneck; 0 when the block has none.</summary>
    public int SqueezeChannels => SqueezeChannelsOf(Kind, InChannels, ExpandedChannels, SqueezeRatio);

    /// <summary>Whether the block adds its input to its output (stride 1, unchanged channels, and a block kind with a skip).</summary>
    public bool HasResidual => HasResidualOf(Kind, InChannels, OutChannels, Stride);

    /// <summary>Whether the block starts with a 1×1 expansion convolution.</summary>
    public bool HasExpansion => HasExpansionOf(Kind, InChannels, ExpandRatio);

    /// <summary>
    /// The expanded channel count each reference computes: torchvision's EfficientNet rounds
    /// in · ratio to a multiple of 8, its MobileNetV2 rounds it to the nearest integer (ties to even,
    /// like Python's <c>round</c>), and a depthwise-separable block does not expand.
    /// </summary>
    /// <param name="kind">The block kind.</param>
    /// <param name="inChannels">Input channels.</param>
    /// <param name="expandRatio">Hidden-to-input channel ratio.</param>
    /// <returns>The hidden channel count.</returns>
    internal static int ExpandedChannelsOf(BlockKind kind, int inChannels, double expandRatio) => kind switch
    {
        BlockKind.MBConv or BlockKind.FusedMBConv => ChannelRounding.MakeDivisible(inChannels * expandRatio, 8),
        BlockKind.InvertedResidual or BlockKind.MobileNetV3 => (int)Math.Round(inChannels * expandRatio, MidpointRounding.ToEven),
        BlockKind.DepthwiseSeparable => inChannels,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown block kind."),
    };

    /// <summary>
    /// Whether a block has a 1×1 expansion convolution: torchvision's MobileNetV2 adds it when the
    /// ratio is not 1, its EfficientNet when the expanded channel count differs from the input.
    /// </summary>
    /// <param name="kind">The block kind.</param>
    /// <param name="inChannels">Input channels.</param>
    /// <param name="expandRatio">Hidden-to-input channel ratio.</param>
    /// <returns><see langword="true"/> when the block expands.</returns>
    internal static bool HasExpansionOf(BlockKind kind, int inChannels, double expandRatio) => kind switch
    {
        BlockKind.MBConv or BlockKind.MobileNetV3 or BlockKind.FusedMBConv => ExpandedChannelsOf(kind, inChannels, expandRatio) != inChannels,
        BlockKind.InvertedResidual => expandRatio != 1,
        BlockKind.DepthwiseSeparable => false,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown block kind."),
    };

    /// <summary>
    /// Squeeze channels from the block's <em>input</em> channels, max(1, ⌊in · ratio⌋), as torchvision,
    /// TensorFlow and lukemelas compute them; 0 when <paramref name="squeezeRatio"/> is 0.
    /// </summary>
    /// <param name="inChannels">Input channels of the block.</param>
    /// <param name="squeezeRatio">Squeeze ratio (0.25 in EfficientNet).</param>
    /// <returns>The number of squeeze channels.</returns>
    internal static int SqueezeChannelsOf(int inChannels, double squeezeRatio) =>
        squeezeRatio > 0 ? Math.Max(1, (int)(inChannels * squeezeRatio)) : 0;

    /// <summary>
    /// Squeeze channels of a block kind: EfficientNet's MBConv counts them from the input channels
    /// (<see cref="SqueezeChannelsOf(int, double)"/>); MobileNetV3 from the expanded channels, ⌊expanded · ratio⌋
    /// rounded to a multiple of 8 as torchvision's <c>_make_divisible</c> does. 0 when the ratio is 0.
    /// </summary>
    /// <param name="kind">The block kind.</param>
    /// <param name="inChannels">Input channels of the block.</param>
    /// <param name="expandedChannels">Expanded (hidden) channels of the block.</param>
    /// <param name="squeezeRatio">Squeeze ratio (0.25 in EfficientNet and MobileNetV3).</param>
    /// <returns>The number of squeeze channels.</returns>
    internal static int SqueezeChannelsOf(BlockKind kind, int inChannels, int expandedChannels, double squeezeRatio) => kind switch
    {
        _ when squeezeRatio <= 0 => 0,
        BlockKind.MBConv => SqueezeChannelsOf(inChannels, squeezeRatio),
        BlockKind.MobileNetV3 => ChannelRounding.MakeDivisible(Math.Floor(expandedChannels * squeezeRatio), 8),
        _ when !HasSqueezeExcitationOf(kind) => throw new ArgumentOutOfRangeException(nameof(kind), kind, "This block kind has no squeeze-and-excitation."),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown block kind."),
    };

    /// <summary>Whether a block kind can have squeeze-and-excitation (a spec gives it a squeeze ratio above 0): EfficientNet's MBConv and MobileNetV3's block.</summary>
    /// <param name="kind">The block kind.</param>
    /// <returns><see langword="true"/> when a squeeze ratio above 0 is allowed.</returns>
    internal static bool HasSqueezeExcitationOf(BlockKind kind) => kind switch
    {
        BlockKind.MBConv or BlockKind.MobileNetV3 => true,
        BlockKind.InvertedResidual or BlockKind.DepthwiseSeparable or BlockKind.FusedMBConv => false,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown block kind."),
    };

    /// <summary>Whether a block kind takes an expansion ratio at all (a depthwise-separable block's must be 1).</summary>
    /// <param name="kind">The block kind.</param>
    /// <returns><see langword="true"/> when ratios above 1 are allowed.</returns>
    internal static bool CanExpandOf(BlockKind kind) => kind switch
    {
        BlockKind.DepthwiseSeparable => false,
        BlockKind.InvertedResidual or BlockKind.MBConv or BlockKind.MobileNetV3 or BlockKind.FusedMBConv => true,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown block kind."),
    };

    /// <summary>The residual rule shared by MobileNetV2 and EfficientNet: stride 1 and in = out; MobileNetV1 never skips.</summary>
    /// <param name="kind">The block kind.</param>
    /// <param name="inChannels">Input channels.</param>
    /// <param name="outChannels">Output channels.</param>
    /// <param name="stride">Depthwise stride.</param>
    /// <returns><see langword="true"/> when the block has a residual connection.</returns>
    internal static bool HasResidualOf(BlockKind kind, int inChannels, int outChannels, int stride) => kind switch
    {
        BlockKind.DepthwiseSeparable => false,
        BlockKind.InvertedResidual or BlockKind.MBConv or BlockKind.MobileNetV3 or BlockKind.FusedMBConv => stride == 1 && inChannels == outChannels,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown block kind."),
    };
}
