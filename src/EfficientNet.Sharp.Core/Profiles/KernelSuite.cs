using System.Collections.Concurrent;
using EfficientNet.Sharp.Models;
using EfficientNet.Sharp.Specs;

namespace EfficientNet.Sharp.Profiles;

/// <summary>
/// The kernels a device profile measures: every grid corner (<see cref="KernelGrid"/>) that a kernel of a registered
/// family needs at any width from 0.35 to 1.4, depth multiplier from 0.5 to 2 (where the family scales depth) and
/// resolution from 96 to 320 px, so that any network in that range interpolates between measured kernels. Designed from
/// the families, not from any particular network a prediction is checked on.
/// </summary>
/// <remarks>
/// A kernel's channels depend on the width only and its map size on the resolution only, and the grid's corners are a
/// product over the kernel's sizes, so the corners are found per kernel position from two sweeps: widths in steps of
/// 0.01 at one resolution, and every resolution at the family's own width. Every position's channel brackets are then
/// combined with its map-size brackets. Element-wise kernels, whose one size is channels × pixels, get every ladder value
/// between the smallest and largest they reach. Depth adds repeats of a stage's blocks, whose kernels are those of the
/// stage's second block: depths 0.5, 1 and 2 give them all.
/// </remarks>
public static class KernelSuite
{
    private const double MinimumWidth = 0.35, MaximumWidth = 1.4, WidthStep = 0.01;
    private const int MinimumResolution = 96, MaximumResolution = 320;
    private static readonly double[] Depths = [0.5, 1.0, 2.0];

    /// <summary>The resolution the width sweep walks at (any would do: channels do not depend on it).</summary>
    private const int SweepResolution = 224;

    private static readonly ConcurrentDictionary<ChannelAlignment, IReadOnlyList<KernelShape>> Designs = new();

    /// <summary>
    /// The kernels to measure, cheapest kinds first, each once. A float profile's pointwise and dense convolutions are not
    /// split by layout here; the profiler also designs those its runtime runs in the plain layout, by the blocked layout's
    /// channel multiple it probes (<see cref="DeviceProfile.BlockedLayoutChannelMultiple"/>).
    /// </summary>
    /// <param name="depthwiseChannelMultiple">The device's <see cref="DeviceProfile.DepthwiseChannelMultiple"/>.</param>
    /// <param name="int8">
    /// Whether the profile is for int8 files: then the convolutions an int8 export leaves float are designed as float
    /// islands of their own, and the integer ones on both sides of the channel multiple (aligned and unaligned input
    /// channels), as depthwise convolutions always are.
    /// </param>
    /// <returns>The kernel shapes.</returns>
    public static IReadOnlyList<KernelShape> Design(int depthwiseChannelMultiple, bool int8 = false) => Design(depthwiseChannelMultiple, int8, blockedLayoutChannelMultiple: 0, blockedLayoutBlock: 0);

    /// <summary>The kernels to measure, cheapest kinds first, each once.</summary>
    /// <param name="depthwiseChannelMultiple">The device's <see cref="DeviceProfile.DepthwiseChannelMultiple"/>.</param>
    /// <param name="int8">
    /// Whether the profile is for int8 files: then the convolutions an int8 export leaves float are designed as float
    /// islands of their own, and the integer ones on both sides of the channel multiple (aligned and unaligned input
    /// channels), as depthwise convolutions always are.
    /// </param>
    /// <param name="blockedLayoutChannelMultiple">
    /// For a float profile, the device's <see cref="DeviceProfile.BlockedLayoutChannelMultiple"/>: pointwise and dense
    /// convolutions whose input channels are off it (and more than it) run in the plain layout, slower on small maps, and
    /// are designed as a variant of their own, the unaligned one. 0 or 1: none is (every convolution runs in one layout).
    /// Not read for an int8 profile, whose integer convolutions are split by <paramref name="depthwiseChannelMultiple"/>.
    /// </param>
    /// <param name="blockedLayoutBlock">
    /// The device's <see cref="DeviceProfile.BlockedLayoutBlock"/>: a pointwise or dense convolution reading fewer channels
    /// runs blocked whatever their count. 0: unknown, the multiple stands for it.
    /// </param>
    /// <returns>The kernel shapes.</returns>
    internal static IReadOnlyList<KernelShape> Design(int depthwiseChannelMultiple, bool int8, int blockedLayoutChannelMultiple, int blockedLayoutBlock)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(depthwiseChannelMultiple);
        ArgumentOutOfRangeException.ThrowIfNegative(blockedLayoutChannelMultiple);
        ArgumentOutOfRangeException.ThrowIfNegative(blockedLayoutBlock);
        return Designs.GetOrAdd(Alignment(depthwiseChannelMultiple, int8, blockedLayoutChannelMultiple, blockedLayoutBlock), alignment =>
        {
            var kernels = new HashSet<KernelShape>();
            foreach (RegisteredModel model in ModelRegistry.All)
            {
                foreach (double? depth in model.ScalesDepth ? Depths.Select(d => (double?)d) : [null])
                {
                    AddCorners(model, depth, alignment, kernels);
                }
            }

            return [.. kernels.OrderBy(kernel => kernel.Kind).ThenBy(kernel => kernel.Work)];
        });
    }

    /// <summary>The channel rule a profile's kernels are designed, recorded and read under.</summary>
    internal static ChannelAlignment Alignment(int depthwiseChannelMultiple, bool int8, int blockedLayoutChannelMultiple, int blockedLayoutBlock) =>
        new(depthwiseChannelMultiple, IntegerConvolutions: int8, Ragged: int8, PlainMultiple: int8 ? 0 : blockedLayoutChannelMultiple, PlainBlock: int8 ? 0 : blockedLayoutBlock);

    /// <summary>
    /// Adds the corners every kernel position of a model at one depth needs over the width and resolution range. The
    /// networks are walked in int8 forms exactly when the channel rule holds for integer convolutions: both mean an
    /// int8 profile.
    /// </summary>
    private static void AddCorners(RegisteredModel model, double? depth, ChannelAlignment alignment, HashSet<KernelShape> kernels)
    {
        bool int8 = alignment.IntegerConvolutions;
        IEnumerable<double?> widths = model.ScalesWidth
            ? Enumerable.Range(0, (int)Math.Round((MaximumWidth - MinimumWidth) / WidthStep) + 1).Select(i => (double?)Math.Round(MinimumWidth + (i * WidthStep), 2))
            : [null];
        List<KernelShape[]> byWidth = [.. widths.Select(width => Walk(model, width, depth, SweepResolution, int8)).OfType<KernelShape[]>()];
        List<KernelShape[]> byResolution = [.. Enumerable.Range(MinimumResolution, MaximumResolution - MinimumResolution + 1).Select(resolution => Walk(model, null, depth, resolution, int8)).OfType<KernelShape[]>()];
        if (byWidth.Count == 0 || byResolution.Count == 0)
        {
            return;
        }

        // Element-wise kernels have one size, channels × pixels: every ladder value between the extremes, which lie at the
        // smallest and largest width and resolution together. (They are also the only kernels whose presence changes with
        // the width: a residual addition appears where two channel counts round to the same value.)
        KernelShape[][] extremes = [.. new[] { (MinimumWidth, MinimumResolution), (MaximumWidth, MaximumResolution) }
            .Select(extreme => Walk(model, model.ScalesWidth ? extreme.Item1 : null, depth, extreme.Item2, int8)).OfType<KernelShape[]>()];
        foreach (IGrouping<KernelKind, KernelShape> kind in byWidth.Concat(byResolution).Concat(extremes).SelectMany(walk => walk).Where(shape => KernelGrid.IsElementwise(shape.Kind)).GroupBy(shape => shape.Kind))
        {
            KernelShape example = kind.First();
            kernels.UnionWith(KernelGrid.LadderBetween(kind.Min(shape => shape.InChannels), kind.Max(shape => shape.InChannels)).Select(value => example with { InChannels = value, OutChannels = value }));
        }

        KernelShape[][] channelWalks = [.. byWidth.Select(walk => walk.Where(shape => !KernelGrid.IsElementwise(shape.Kind)).Select(shape => alignment.VariantOf(shape)).ToArray())];
        KernelShape[][] sizeWalks = [.. byResolution.Select(walk => walk.Where(shape => !KernelGrid.IsElementwise(shape.Kind)).ToArray())];
        if (channelWalks.Concat(sizeWalks).Any(walk => walk.Length != channelWalks[0].Length))
        {
            throw new InvalidOperationException($"{model.Name}'s kernels change with its width or resolution; the suite's design assumes they do not.");
        }

        for (int position = 0; position < channelWalks[0].Length; position++)
        {
            KernelShape[] channels = [.. channelWalks.Select(walk => walk[position])];
            if (KernelGrid.MapSizeCoordinate(channels[0].Kind) is int coordinate)
            {
                // One representative per bracket: the corners depend on the brackets, not on the values within them.
                KernelShape[] channelBrackets = [.. channels.DistinctBy(shape => KernelGrid.BracketKey(shape, alignment, except: coordinate))];
                int[] sizeBrackets = [.. sizeWalks.Select(walk => walk[position]).DistinctBy(shape => KernelGrid.BracketKey(shape, alignment, only: coordinate)).Select(shape => shape.Size)];
                foreach (KernelShape channel in channelBrackets)
                {
                    foreach (int size in sizeBrackets)
                    {
                        kernels.UnionWith((KernelGrid.Corners(channel with { Size = size }, alignment) ?? []).Select(corner => corner.Corner));
                    }
                }
            }
            else
            {
                kernels.UnionWith(channels.SelectMany(shape => KernelGrid.Corners(shape, alignment) ?? []).Select(corner => corner.Corner));
            }
        }
    }

    /// <summary>A network's kernels in order, or null for a combination the family does not allow (a resolution below its minimum, say).</summary>
    private static KernelShape[]? Walk(RegisteredModel model, double? width, double? depth, int resolution, bool int8)
    {
        try
        {
            NetworkSpec spec = model.BuildSpec(new ModelOverrides { Width = width, Depth = depth, Resolution = resolution });
            return [.. KernelWalk.Of(spec, spec.Resolution, int8).Select(kernel => kernel.Shape)];
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    /// <summary>
    /// The networks a profile times whole to calibrate kernel sums (<see cref="CalibrationNetwork"/>): every family,
    /// small to mid-sized, each at a round width, depth and a resolution that is a multiple of 32 px (which the held-out
    /// networks predictions are checked on avoid), each under about 30 ms on a laptop core. The last four are at
    /// 288–320 px: what a network saves against its kernels alone shrinks at large maps, and the calibration fits that
    /// only where its networks reach (docs/device-fit.md).
    /// </summary>
    /// <returns>The models and their overrides, as (model, width, depth, resolution).</returns>
    /// <remarks>An int8 profile also times a network of ragged channels and three at 288–320 px, a float one a second EfficientNetV2-S (<see cref="CalibrationDesign(bool)"/>).</remarks>
    public static IReadOnlyList<(string Model, double? Width, double? Depth, int Resolution)> CalibrationDesign() => SharedCalibrationDesign;

    /// <summary>
    /// The calibration networks of a profile: <see cref="CalibrationDesign()"/>'s, and for an int8 profile also
    /// MobileNetV1 at 0.9 and 256 px, whose truncated channels (28, 57, 115, 230, 460, 921) are all ragged
    /// (<see cref="KernelGrid.Ragged"/>): the network the ragged factor is fitted to (<see cref="KernelCalibration.RaggedFactor"/>);
    /// for a float profile EfficientNetV2-S at 0.75, 0.75 and 192 px (26 ms here), so that the family's scale has a slope:
    /// on its one network at 128 px (4 ms) alone, a profile that timed it 4 % slow predicted every V2-S of the validation
    /// set 12–24 % high (docs/device-fit.md, "Weights streamed from memory"). Int8 profiles were not checked with it.
    /// An int8 profile also times EfficientNet-Lite0 and MobileNetV3-Large at 320 px and EfficientNetV2-S at 0.5, 0.5
    /// and 288 px: an int8 family's scale follows resolution (<see cref="KernelCalibration.AlongResolution"/>) and is held flat
    /// past its calibration networks, and Lite's reached 224 px and V2-S's 128, so their networks at 248–314 px were
    /// predicted 10–13 % high (docs/device-fit.md, "Int8: calibration networks at high resolution").
    /// </summary>
    internal static IReadOnlyList<(string Model, double? Width, double? Depth, int Resolution)> CalibrationDesign(bool int8) =>
        int8
            ? [.. SharedCalibrationDesign, ("mobilenet_v1", 0.9, null, 256), ("efficientnet_lite0", null, null, 320), ("efficientnet_v2_s", 0.5, 0.5, 288), ("mobilenet_v3_large", 1.0, null, 320)]
            : [.. SharedCalibrationDesign, ("efficientnet_v2_s", 0.75, 0.75, 192)];

    private static readonly IReadOnlyList<(string Model, double? Width, double? Depth, int Resolution)> SharedCalibrationDesign =
    [
        ("efficientnet_b0", null, null, 224), ("efficientnet_b0", 0.5, 0.5, 128), ("efficientnet_b2", 0.75, null, 192),
        ("efficientnet_v2_s", 0.5, 0.5, 128), ("efficientnet_lite0", null, null, 224), ("efficientnet_lite2", null, null, 160),
        ("mobilenet_v1", 1.0, null, 224), ("mobilenet_v1", 0.5, null, 160), ("mobilenet_v2", 1.0, null, 224),
        ("mobilenet_v2", 0.5, null, 128), ("mobilenet_v3_large", 1.0, null, 224), ("mobilenet_v3_small", 0.75, null, 160),
        ("mobilenet_v1", 0.75, null, 288), ("mobilenet_v2", 0.75, null, 288), ("mobilenet_v3_small", 1.0, null, 320), ("efficientnet_b0", 0.5, 0.5, 320),
    ];
}
