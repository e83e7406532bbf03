using System.Globalization;
using System.Text.Json.Serialization;

namespace EfficientNet.Sharp.Profiles;

/// <summary>
/// One kernel with its sizes: what a device profile times and what the predictor looks up. Unused sizes are 0 or 1.
/// </summary>
public sealed record KernelShape
{
    /// <summary>Creates the <see cref="KernelShape"/> from each of its values.</summary>
    /// <param name="Kind">The operator pattern.</param>
    /// <param name="InChannels">Input channels (the channels of a depthwise or pooling kernel; the features of a linear one; the elements of an elementwise one).</param>
    /// <param name="OutChannels">Output channels (output features of a linear kernel); equal to the input for depthwise and elementwise kernels.</param>
    /// <param name="Size">Input map height and width in pixels (1 for vectors and elementwise kernels).</param>
    /// <param name="KernelSize">Convolution kernel size (1 for others).</param>
    /// <param name="Stride">Convolution stride (1 for others).</param>
    /// <param name="Variant">A discrete variant: the squeeze-and-excitation gate (<c>sigmoid</c> with SiLU, <c>hard-sigmoid</c> with ReLU), <c>unaligned</c> for a convolution whose channels the device's fast kernel does not take (a depthwise one; in a float profile a pointwise or dense one the runtime runs in its plain layout; in an int8 profile an integer one, or <c>ragged</c>), or <c>float-island</c> for a convolution an int8 file leaves float; empty otherwise.</param>
    public KernelShape(KernelKind Kind, int InChannels, int OutChannels, int Size, int KernelSize, int Stride, string Variant)
    {
        this.Kind = Kind;
        this.InChannels = InChannels;
        this.OutChannels = OutChannels;
        this.Size = Size;
        this.KernelSize = KernelSize;
        this.Stride = Stride;
        this.Variant = Variant;
    }

    /// <summary>The operator pattern.</summary>
    public KernelKind Kind { get; init; }

    /// <summary>Input channels (the channels of a depthwise or pooling kernel; the features of a linear one; the elements of an elementwise one).</summary>
    public int InChannels { get; init; }

    /// <summary>Output channels (output features of a linear kernel); equal to the input for depthwise and elementwise kernels.</summary>
    public int OutChannels { get; init; }

    /// <summary>Input map height and width in pixels (1 for vectors and elementwise kernels).</summary>
    public int Size { get; init; }

    /// <summary>Convolution kernel size (1 for others).</summary>
    public int KernelSize { get; init; }

    /// <summary>Convolution stride (1 for others).</summary>
    public int Stride { get; init; }

    /// <summary>A discrete variant: the squeeze-and-excitation gate (<c>sigmoid</c> with SiLU, <c>hard-sigmoid</c> with ReLU), <c>unaligned</c> for a convolution whose channels the device's fast kernel does not take (a depthwise one; in a float profile a pointwise or dense one the runtime runs in its plain layout; in an int8 profile an integer one, or <c>ragged</c>), or <c>float-island</c> for a convolution an int8 file leaves float; empty otherwise.</summary>
    public string Variant { get; init; }

    /// <summary>
    /// The kernel's multiply-accumulates (convolutions, linear, squeeze-and-excitation's two inner layers) or elements
    /// touched (the rest, and squeeze-and-excitation's pooling and scaling): the measure extrapolation scales by.
    /// </summary>
    [JsonIgnore]
    public double Work => Kind switch
    {
        KernelKind.PointwiseConvolution or KernelKind.DenseConvolution => (double)InChannels * OutChannels * KernelSize * KernelSize * Square(OutputSize),
        KernelKind.DepthwiseConvolution => (double)InChannels * KernelSize * KernelSize * Square(OutputSize),
        // Squeeze-and-excitation reads its map twice (to pool it and to scale it) and runs two 1×1 layers through the squeezed
        // channels, which outweigh the map's elements in the deep stages' small maps.
        KernelKind.SqueezeExcitation => (2 * (double)InChannels * Square(Size)) + (2 * (double)InChannels * SqueezedChannels),
        KernelKind.GlobalPool => (double)InChannels * Square(Size),
        KernelKind.SiLU or KernelKind.Hardswish or KernelKind.Add => InChannels,
        KernelKind.Linear => (double)InChannels * OutChannels,
        KernelKind.RunOverhead => 1,
        _ => throw new InvalidOperationException($"Unhandled kernel kind {Kind}."),
    };

    /// <summary>
    /// The elements a convolution reads and writes (0 for the other kinds): a convolution timed alone converts them to and
    /// from the runtime's blocked layout, which a chain of convolutions inside a network does not (<see cref="KernelCalibration"/>).
    /// </summary>
    [JsonIgnore]
    internal double EdgeElements => IsConvolution ? ((double)InChannels * Square(Size)) + ((double)OutChannels * Square(OutputSize)) : 0;

    /// <summary>
    /// The elements a convolution moves: its weights and the elements it reads and writes (0 for the other kinds). On a
    /// small map a convolution reads all its weights for few pixels, so its time falls with the map more slowly than its
    /// work: extrapolation scales a pointwise convolution down by both (<see cref="LatencyPredictor"/>).
    /// </summary>
    [JsonIgnore]
    internal double Traffic => IsConvolution ? Weights + EdgeElements : 0;

    /// <summary>
    /// The kernel's weights (biases left out): a convolution's filters, a linear kernel's matrix, squeeze-and-excitation's
    /// two inner layers; 0 for the other kinds. A network whose weights outgrow the caches reads them all on every run
    /// (<see cref="WeightStreaming"/>).
    /// </summary>
    [JsonIgnore]
    internal double Weights => Kind switch
    {
        KernelKind.PointwiseConvolution or KernelKind.DenseConvolution => (double)InChannels * OutChannels * KernelSize * KernelSize,
        KernelKind.DepthwiseConvolution => (double)InChannels * KernelSize * KernelSize,
        KernelKind.Linear => (double)InChannels * OutChannels,
        KernelKind.SqueezeExcitation => 2 * (double)InChannels * SqueezedChannels,
        KernelKind.GlobalPool or KernelKind.SiLU or KernelKind.Hardswish or KernelKind.Add or KernelKind.RunOverhead => 0,
        _ => throw new InvalidOperationException($"Unhandled kernel kind {Kind}."),
    };

    /// <summary>Whether the kernel is a convolution (pointwise, dense or depthwise), the kinds a runtime may block.</summary>
    [JsonIgnore]
    internal bool IsConvolution => Kind switch
    {
        KernelKind.PointwiseConvolution or KernelKind.DenseConvolution or KernelKind.DepthwiseConvolution => true,
        KernelKind.SqueezeExcitation or KernelKind.GlobalPool or KernelKind.SiLU or KernelKind.Hardswish or KernelKind.Add
            or KernelKind.Linear or KernelKind.RunOverhead => false,
        _ => throw new InvalidOperationException($"Unhandled kernel kind {Kind}."),
    };

    /// <summary>
    /// Whether the runtime runs this convolution in its blocked channel layout, given the device's
    /// <see cref="DeviceProfile.BlockedLayoutChannelMultiple"/> and <see cref="DeviceProfile.BlockedLayoutBlock"/>: ONNX
    /// Runtime blocks a convolution whose input channels are a multiple of the multiple, or (not grouped, as a stem
    /// reading 3 channels or a pointwise convolution reading 14) fewer than the block, and pads the output channels up to
    /// the block. (ONNX Runtime 1.31 here: pointwise and dense convolutions blocked at every count below 16 and at the
    /// multiples of 4 above; depthwise ones at the multiples of 4.) Null multiple (not probed): every convolution is taken
    /// as blocked; 0: none is. Null block (a profile from before it was probed): the multiple stands for it. Other kinds
    /// are never blocked kernels of their own.
    /// </summary>
    internal bool RunsBlocked(int? multiple, int? block) => IsConvolution && multiple switch
    {
        null => true,
        0 => false,
        int m => InChannels % m == 0 || (Kind != KernelKind.DepthwiseConvolution && InChannels < BlockedBelow(m, block)),
    };

    /// <summary>
    /// The count below which the runtime blocks a pointwise or dense convolution whatever its input channels: the
    /// layout's block, or the multiple where the block is unknown (null) or smaller (<see cref="RunsBlocked"/>).
    /// </summary>
    internal static int BlockedBelow(int multiple, int? block) => Math.Max(multiple, block ?? multiple);

    /// <summary>Whether the kernel is a convolution the runtime runs in its plain layout: it converts nothing, alone or inside a network.</summary>
    internal bool RunsUnblocked(int? multiple, int? block) => IsConvolution && !RunsBlocked(multiple, block);

    /// <summary>The channels a squeeze-and-excitation kernel squeezes its input to: a quarter of them, at least one.</summary>
    [JsonIgnore]
    internal int SqueezedChannels => Math.Max(1, InChannels / 4);

    /// <summary>The one shape of <see cref="KernelKind.RunOverhead"/>: a run that computes nothing, what every run costs.</summary>
    internal static KernelShape RunOverhead { get; } = new(KernelKind.RunOverhead, 1, 1, 1, 1, 1, "");

    /// <summary>The output map size: ⌈size / stride⌉ (the same for symmetric and TensorFlow's "SAME" padding at odd kernels).</summary>
    [JsonIgnore]
    public int OutputSize => (Size + Stride - 1) / Stride;

    /// <summary>What the kernel's time is looked up by besides its continuous sizes: kind, kernel size, stride and variant.</summary>
    internal string Family => string.Create(CultureInfo.InvariantCulture, $"{Kind}/k{KernelSize}/s{Stride}/{Variant}");

    /// <inheritdoc />
    public override string ToString() => Kind switch
    {
        KernelKind.PointwiseConvolution => Invariant($"pointwise {InChannels}→{OutChannels} @{Size}"),
        KernelKind.DenseConvolution => Invariant($"conv {KernelSize}×{KernelSize}/s{Stride} {InChannels}→{OutChannels} @{Size}"),
        KernelKind.DepthwiseConvolution => Invariant($"depthwise {KernelSize}×{KernelSize}/s{Stride} {InChannels} @{Size}{(Variant.Length > 0 ? $" ({Variant})" : "")}"),
        KernelKind.SqueezeExcitation => Invariant($"squeeze-excitation ({Variant}) {InChannels} @{Size}"),
        KernelKind.GlobalPool => Invariant($"global pool {InChannels} @{Size}"),
        KernelKind.Linear => Invariant($"linear {InChannels}→{OutChannels}"),
        KernelKind.SiLU or KernelKind.Hardswish or KernelKind.Add => Invariant($"{Kind.ToString().ToLowerInvariant()} ×{InChannels}"),
        KernelKind.RunOverhead => "run overhead",
        _ => throw new InvalidOperationException($"Unhandled kernel kind {Kind}."),
    };

    private static double Square(int value) => (double)value * value;

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
