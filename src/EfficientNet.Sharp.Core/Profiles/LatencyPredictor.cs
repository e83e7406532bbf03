using EfficientNet.Sharp.Specs;

namespace EfficientNet.Sharp.Profiles;

/// <summary>
/// Predicts a network's batch-1 latency on a profiled device without running it there (or anywhere): the run overhead
/// plus each kernel of its graph (<see cref="KernelWalk"/>), every kernel's time interpolated between the measured grid
/// corners around it in log–log space. A kernel outside the grid (or next to a corner the profile lacks) is predicted
/// from the nearest measured kernel of its kind, scaled by work (a pointwise convolution scaled down between its work
/// and its traffic, and no kernel below its kind's floor), and reported in <see cref="LatencyPrediction.Extrapolated"/>.
/// </summary>
/// <remarks>
/// Assumptions, stated in docs/device-fit.md: kernels add up (no overlap between operators at batch 1, one intra-op
/// pool); what a kernel saves inside a network against its time alone follows one form on a device, fitted to the
/// profile's calibration networks (<see cref="KernelCalibration"/>); in a float profile that probed
/// <see cref="WeightStreaming"/>, a network of more weights than the cache reads them from memory, and an unblocked
/// convolution pays for reading its weights inside any network; ReLU and ReLU6 are fused into the convolution before
/// them, as ONNX Runtime does; the thread count is the profile's.
/// </remarks>
public sealed class LatencyPredictor
{
    private readonly Dictionary<KernelShape, double> times;
    private readonly Dictionary<string, KernelMeasurement[]> byFamily;

    /// <summary>Prepares predictions from a profile.</summary>
    /// <param name="profile">The device's profile.</param>
    public LatencyPredictor(DeviceProfile profile)
    {
        ArgumentNullException.ThrowIfNull(profile);
        Profile = profile;
        times = profile.Kernels.GroupBy(kernel => kernel.Shape).ToDictionary(group => group.Key, group => group.First().Milliseconds);
        byFamily = profile.Kernels.GroupBy(kernel => kernel.Shape.Family).ToDictionary(group => group.Key, group => group.ToArray());
        floors = Floors(profile.Kernels);

        // An int8 profile is calibrated by a scale per family alone, over every kernel: the savings and the blocked layout
        // were validated on float profiles only (docs/device-fit.md). Its networks are walked with their float islands,
        // and its integer convolutions split by the channel multiple, when it timed them so (profiles from before 0.3.0's
        // release timed every convolution on integer kernels, and split depthwise ones only; so does a profile of chosen
        // kernels that holds no island and no unaligned convolution but depthwise ones, for which the two readings agree).
        // Its ragged convolutions are their own variant when it timed them so (from 0.4.0), and unaligned otherwise.
        blockedMultiple = profile.Device.IsInt8 ? null : profile.BlockedLayoutChannelMultiple;
        blockedBlock = profile.BlockedLayoutBlock;
        // Padded counts are read at one thread only: with more, the runtime splits a convolution's blocks between its
        // threads and the time steps with the blocks per thread too; at two threads here reading padded counts made every
        // check worse (docs/device-fit.md, "Blocked channels, interpolated by their padded count").
        padding = blockedMultiple is > 0 and int multiple && profile.BlockedLayoutBlock is > 1 and int block && profile.Device.Threads == 1
            ? new BlockedPadding(multiple, block)
            : null;
        int8Forms = profile.Device.IsInt8 && profile.Kernels.Any(kernel => KernelGrid.IsOfInt8Forms(kernel.Shape));
        // A float profile's plain-layout pointwise and dense convolutions are their own variant when it timed them so (from
        // 0.4.0); before, they were read from the blocked ones.
        alignment = new ChannelAlignment(
            profile.DepthwiseChannelMultiple,
            IntegerConvolutions: int8Forms,
            Ragged: int8Forms && profile.Kernels.Any(kernel => kernel.Shape.Variant == KernelGrid.Ragged),
            PlainMultiple: !profile.Device.IsInt8 && profile.Kernels.Any(kernel => KernelGrid.IsUnalignedPointwiseOrDense(kernel.Shape)) ? blockedMultiple ?? 0 : 0,
            PlainBlock: blockedBlock ?? 0);
        calibration = KernelCalibration.Fit(
            [.. profile.Calibration.Select(CalibrationPoint).OfType<KernelCalibration.Network>()],
            withSavings: !profile.Device.IsInt8);
    }

    private readonly KernelCalibration calibration;

    /// <summary>
    /// Whether networks are walked as int8 files, each convolution in the form the int8 export gives it, with integer
    /// pointwise and dense convolutions split by the channel multiple as depthwise ones are.
    /// </summary>
    private readonly bool int8Forms;

    /// <summary>The profile's channel rule: its multiple, holding for integer convolutions too where networks are walked in int8 forms.</summary>
    private readonly ChannelAlignment alignment;

    /// <summary>The blocked-layout multiple the calibration distinguishes convolutions by; null: every kernel is scaled.</summary>
    private readonly int? blockedMultiple;

    /// <summary>The blocked layout's block (<see cref="DeviceProfile.BlockedLayoutBlock"/>): convolutions reading fewer channels run blocked whatever their count.</summary>
    private readonly int? blockedBlock;

    /// <summary>How blocked convolutions' channels are padded, for interpolating them (a float one-thread profile that probed it); null: not at all.</summary>
    private readonly BlockedPadding? padding;

    /// <summary>
    /// What a kernel's time alone is multiplied by inside a network on this device, before the savings per kernel and
    /// per convolution element that the calibration also fits (docs/device-fit.md, "Calibration"); each family with
    /// calibration networks in the profile has its own, this is the device-wide one. 1 when the profile has no
    /// calibration networks.
    /// </summary>
    public double KernelScale => calibration.Scale;

    /// <summary>What a ragged integer convolution's factor is relative to its network's (1 in a profile without ragged calibration networks).</summary>
    internal double RaggedFactor => calibration.RaggedFactor;

    /// <summary>The profile predictions come from.</summary>
    public DeviceProfile Profile { get; }

    /// <summary>Predicts a network's latency at its own resolution, on the profile's thread count.</summary>
    /// <param name="spec">The network.</param>
    /// <param name="threads">The intra-op threads the network will run with; null for the profile's. Another count is refused.</param>
    /// <returns>The prediction.</returns>
    /// <exception cref="ArgumentException"><paramref name="threads"/> is not the profile's: kernel times do not carry over between thread counts.</exception>
    public LatencyPrediction Predict(NetworkSpec spec, int? threads = null)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (threads is int count && count != Profile.Device.Threads)
        {
            throw new ArgumentException($"The profile was measured with {Profile.Device.Threads} thread{(Profile.Device.Threads == 1 ? "" : "s")}, not {count}: kernel times change with the thread count, so measure a profile with {count}.", nameof(threads));
        }

        List<KernelPrediction> alone = Alone(spec);
        var prediction = new LatencyPrediction { Kernels = Calibrated(spec, alone), Device = Profile.Device };
        return prediction with { Caveats = Caveats(spec, alone, prediction.Extrapolated.Count) };
    }

    /// <summary>How well int8 predictions held where they were checked: written here once, for the caveat and the CLI's warning.</summary>
    internal const string Int8Validation = "Where validated at one thread (49 held-out networks in three checks, each timed in a process of its own, docs/device-fit.md), 36, 45 and 41 int8 predictions fell within ±10 % and all within ±25 % (0.75–1.09), every miss an under-prediction: MobileNetV1, whose truncated channel counts are ragged, and MobileNetV2 at 0.75–0.89, EfficientNet-Lite1, B0 and MobileNetV3-Small on small maps at 0.83–0.90; a profile without the int8 calibration networks at 288–320 px (before 0.4.0) over-predicts EfficientNet-Lite, EfficientNetV2-S and MobileNetV3-Large at 248–314 px by up to 19 %";

    /// <summary>
    /// The weights (megabytes of float32) and the resolution (px, below) from which a float prediction carries the
    /// <see cref="ManyWeightsSmallMaps"/> caveat: networks of 24–40 MB at 96 px were under-predicted where checked,
    /// those of 3–12 MB were not, and at 128 px B0 of 77 MB held within 6 %.
    /// </summary>
    private const double ManyWeightsMegabytes = 20;

    /// <inheritdoc cref="ManyWeightsMegabytes"/>
    private const int SmallMapsResolution = 128;

    /// <summary>What networks of many weights on small maps were found to do where checked: written here once, for the caveat.</summary>
    internal const string ManyWeightsSmallMaps = "Where checked (float, one thread, docs/device-fit.md), networks of more weights than the caches keep between runs (there between 12 and 24 MB) read them from memory on every run, which their kernels timed alone do not and on small maps nothing hides: at 96 px the widest MobileNetV3-Large, MobileNetV2, MobileNetV1, B0 and Lite4 (24–77 MB) ran 1.1–1.4 times what was predicted, at 51 px networks of 24–30 MB up to 1.75 times their kernels' sum; EfficientNetV2-S, whose dense convolutions compute long enough, held. Treat this prediction as low, or profile the device again with this version, which measures how it reads weights from memory and predicts it";

    /// <summary>How well predictions of networks with extrapolated kernels held where they were checked: written here once, for the caveat.</summary>
    internal const string OutsideValidation = "Where checked (float, one thread: 35 networks outside the design range of 96–320 px and widths 0.35–1.4, each timed in a process of its own, in three checks, docs/device-fit.md), such predictions fell at 0.67–1.23 of the measured time, 89–100 % of them within ±25 %: the smallest maps under-predicted, the largest over-predicted after a slow profile";

    /// <summary>
    /// What a prediction is known to miss: a network with <paramref name="extrapolated"/> kernels outside the grid; a float
    /// network of many weights on small maps, from a profile that did not probe <see cref="WeightStreaming"/>
    /// (<see cref="ManyWeightsSmallMaps"/>); and what
    /// an int8 profile is known to miss (docs/device-fit.md): its kernels pay quantize and dequantize steps at their edges
    /// that a chain of integer kernels does not, which the per-family scale absorbs as far as a family's calibration
    /// networks show it, less well for the smallest networks; in a profile from before float islands were timed, the
    /// convolutions an int8 export runs in float; and, in one from before the ragged variant, the integer convolutions of
    /// a network with ragged channel counts.
    /// </summary>
    private IReadOnlyList<string> Caveats(NetworkSpec spec, List<KernelPrediction> alone, int extrapolated)
    {
        string[] outside = extrapolated == 0 ? [] : [$"{extrapolated} of its kernels lie outside the profile's grid and are extrapolated. {OutsideValidation}."];
        if (!Profile.Device.IsInt8)
        {
            double megabytes = WeightBytesOf(alone) / 1e6;
            return Profile.WeightStreaming is null && megabytes > ManyWeightsMegabytes && spec.Resolution < SmallMapsResolution
                ? [.. outside, $"It holds {megabytes:0} MB of weights on maps of {spec.Resolution} px. {ManyWeightsSmallMaps}."]
                : outside;
        }

        string older = int8Forms ? "" : " This profile timed every convolution on integer kernels, while the int8 files of SiLU and hard-swish networks run the convolutions next to those activations in float: profile the device again with this version.";
        bool raggedUnmeasured = int8Forms && !alignment.Ragged
            && alone.Any(kernel => (alignment with { Ragged = true }).VariantOf(kernel.Shape).Variant == KernelGrid.Ragged);
        string noRagged = raggedUnmeasured ? " This profile has no ragged variant, and this network's integer convolutions read ragged channel counts, which it reads as unaligned (MobileNetV1 so was predicted at 0.71–0.87 of its time): profile the device again with this version." : "";
        return [.. outside, $"Int8 predictions rest on a scale per family, from the profile's int8 calibration networks ({spec.Family}: {calibration.ScaleOf(spec.Family):0.00}). {Int8Validation}.{older}{noRagged}"];
    }

    /// <summary>Each kernel of the network with its time alone, as the profile has it.</summary>
    private List<KernelPrediction> Alone(NetworkSpec spec)
    {
        var kernels = new List<KernelPrediction>();
        foreach (KernelInstance kernel in KernelWalk.Of(spec, spec.Resolution, int8Forms))
        {
            (double milliseconds, bool extrapolated) = TimeOf(kernel.Shape);
            kernels.Add(new KernelPrediction(kernel.Part, kernel.Shape, milliseconds, extrapolated));
        }

        return kernels;
    }

    /// <summary>
    /// The kernels with their time inside the network: the run overhead as measured, unblocked convolutions as alone plus
    /// reading their weights (<see cref="UnblockedReading"/>), the others by the calibration's factor; and, in a network
    /// whose weights outgrow the device's caches, none faster than reading its weights from memory (<see cref="WeightStreaming"/>).
    /// </summary>
    private List<KernelPrediction> Calibrated(NetworkSpec spec, List<KernelPrediction> alone)
    {
        double factor = calibration.FactorFor(spec.Family, Sums(alone), spec.Resolution);
        WeightStreaming? fromMemory = FromMemory(alone);
        return [.. alone.Select(kernel => kernel.Shape.Kind == KernelKind.RunOverhead ? kernel
            : kernel with { Milliseconds = InNetwork(kernel, factor, calibration.RaggedFactor, fromMemory) })];
    }

    /// <summary>
    /// A kernel's time inside a network at a factor: unblocked convolutions as alone plus reading their weights, the
    /// others scaled (ragged ones times <paramref name="raggedFactor"/>); in a network that reads its weights
    /// <paramref name="fromMemory"/>, no less than reading the kernel's.
    /// </summary>
    private double InNetwork(KernelPrediction kernel, double factor, double raggedFactor, WeightStreaming? fromMemory)
    {
        double computing = Unblocked(kernel.Shape)
            ? kernel.Milliseconds + UnblockedReading(kernel.Shape)
            : kernel.Milliseconds * factor * (IsRagged(kernel.Shape) ? raggedFactor : 1);
        return fromMemory is null ? computing : Math.Max(computing, fromMemory.Milliseconds(kernel.Shape.Weights * WeightBytes));
    }

    /// <summary>
    /// What an unblocked convolution pays inside a network for its weights, on top of its time alone: reading them at the
    /// profile's memory rate (<see cref="WeightStreaming.GigabytesPerSecond"/>), not hidden behind its computing. Alone, its
    /// weights stay in the caches between runs; in a network the plain-layout kernel waits for them: MobileNetV1 of
    /// channels off the blocked multiple ran 1.09–1.18× its kernels' sum at 98–136 px, 40–90 µs per MB of their weights
    /// (docs/device-fit.md, "Unblocked convolutions' weights"). 0 in a profile that did not probe the rate.
    /// </summary>
    private double UnblockedReading(KernelShape shape) =>
        Profile.WeightStreaming is { } streaming ? streaming.Milliseconds(shape.Weights * WeightBytes) : 0;

    /// <summary>The profile's weight streaming where a network of these kernels outgrows the caches, so reads its weights from memory on every run; else null.</summary>
    private WeightStreaming? FromMemory(List<KernelPrediction> alone) =>
        Profile.WeightStreaming is { } streaming && streaming.Streams(WeightBytesOf(alone)) ? streaming : null;

    /// <summary>The bytes of float32 weights a network of these kernels reads on every run (<see cref="KernelShape.Weights"/>: biases left out).</summary>
    private static double WeightBytesOf(List<KernelPrediction> alone) => alone.Sum(kernel => kernel.Shape.Weights) * WeightBytes;

    /// <summary>The bytes of a weight in the networks a float profile predicts (float32); an int8 profile has no <see cref="WeightStreaming"/>.</summary>
    private const int WeightBytes = 4;

    /// <summary>Whether a kernel is a ragged integer convolution (<see cref="KernelGrid.Ragged"/>), under the profile's channel rule.</summary>
    private bool IsRagged(KernelShape shape) => alignment.VariantOf(shape).Variant == KernelGrid.Ragged;

    private bool Unblocked(KernelShape shape) => shape.RunsUnblocked(blockedMultiple, blockedBlock);

    /// <summary>The sums the calibration reads.</summary>
    private KernelCalibration.KernelSums Sums(List<KernelPrediction> kernels)
    {
        KernelPrediction[] timed = [.. kernels.Where(kernel => kernel.Shape.Kind != KernelKind.RunOverhead)];
        return new KernelCalibration.KernelSums(
            Alone: timed.Sum(kernel => kernel.Milliseconds),
            Unblocked: timed.Where(kernel => Unblocked(kernel.Shape)).Sum(kernel => kernel.Milliseconds),
            Count: timed.Length,
            EdgeElements: timed.Where(kernel => !Unblocked(kernel.Shape)).Sum(kernel => kernel.Shape.EdgeElements),
            Ragged: timed.Where(kernel => !Unblocked(kernel.Shape) && IsRagged(kernel.Shape)).Sum(kernel => kernel.Milliseconds));
    }

    /// <summary>
    /// A calibration network as the fit reads it; null for a model this version does not know. The fit counts a
    /// network's kernels at their time alone (unblocked convolutions) or at one factor on it (the others), while a
    /// prediction adds what unblocked convolutions pay reading their weights (<see cref="UnblockedReading"/>) and, with
    /// weight streaming, holds no kernel under reading its weights from memory (<see cref="InNetwork"/>). So a network is
    /// read as the network those counts give at the factor at which its kernels, as a prediction takes them, add up to its
    /// measured time (<see cref="FactorMeeting"/>): the calibration fits the factor a prediction applies, and gives each
    /// calibration network back its own time. Where nothing streams and no convolution is unblocked, that is its measured
    /// time itself.
    /// </summary>
    private KernelCalibration.Network? CalibrationPoint(CalibrationNetwork network)
    {
        if (network.BuildSpec() is not { } spec)
        {
            return null;
        }

        List<KernelPrediction> alone = Alone(spec);
        double overhead = alone.Where(kernel => kernel.Shape.Kind == KernelKind.RunOverhead).Sum(kernel => kernel.Milliseconds);
        KernelCalibration.KernelSums sums = Sums(alone);
        double factor = FactorMeeting(network.Milliseconds - overhead, alone, FromMemory(alone));
        return new KernelCalibration.Network(spec.Family, overhead + sums.Unblocked + (factor * sums.Scaled), overhead, sums, spec.Resolution);
    }

    /// <summary>
    /// The factor at which a network's kernels (<see cref="InNetwork"/>, with no ragged factor: the ragged factor is fitted
    /// after, from these networks) take <paramref name="inside"/> milliseconds, reading their weights
    /// <paramref name="fromMemory"/> if not null; found by bisection then (their time grows with the factor), directly
    /// otherwise. 0 when the kernels the factor does not scale take longer (the network then leaves the fit).
    /// </summary>
    private double FactorMeeting(double inside, List<KernelPrediction> alone, WeightStreaming? fromMemory)
    {
        KernelPrediction[] timed = [.. alone.Where(kernel => kernel.Shape.Kind != KernelKind.RunOverhead)];
        double Total(double factor) => timed.Sum(kernel => InNetwork(kernel, factor, raggedFactor: 1, fromMemory));
        if (fromMemory is null)
        {
            // Without the floor the total is linear in the factor: solved directly.
            double unscaled = Total(0), scaled = Total(1) - unscaled;
            return scaled > 0 ? Math.Max(0, (inside - unscaled) / scaled) : 0;
        }

        double low = 0, high = 1;
        while (Total(high) < inside && high < 1e6)
        {
            high *= 2;
        }

        if (Total(low) >= inside)
        {
            return 0;
        }

        for (int step = 0; step < 60; step++)
        {
            double middle = (low + high) / 2;
            (low, high) = Total(middle) < inside ? (middle, high) : (low, middle);
        }

        return (low + high) / 2;
    }

    /// <summary>A kernel's time: interpolated between its grid corners when all are measured, else scaled from the nearest measured kernel.</summary>
    private (double Milliseconds, bool Extrapolated) TimeOf(KernelShape shape)
    {
        shape = alignment.VariantOf(shape);
        if (times.TryGetValue(shape, out double exact))
        {
            return (exact, false);
        }

        IReadOnlyList<(KernelShape Corner, double Weight)>? corners = KernelGrid.Corners(shape, alignment, padding);
        double logTime = 0;
        foreach ((KernelShape corner, double weight) in corners ?? [])
        {
            if (!times.TryGetValue(corner, out double time))
            {
                corners = null;
                break;
            }

            logTime += weight * Math.Log(Math.Max(time, MinimumMilliseconds));
        }

        return corners is null ? (Nearest(shape), true) : (Math.Exp(logTime), false);
    }

    /// <summary>The least time each kind's extrapolations are given (<see cref="Floors"/>).</summary>
    private readonly Dictionary<KernelKind, double> floors;

    /// <summary>
    /// What running a kernel costs however little it computes, per kind: the least time the profile measured for a kernel
    /// of the kind, and no more than the least it measured for any convolution (the grid does not reach small sizes of
    /// every kind: its dense convolutions are stems and fused expansions, at large maps).
    /// </summary>
    private static Dictionary<KernelKind, double> Floors(IReadOnlyList<KernelMeasurement> kernels)
    {
        KernelMeasurement[] timed = [.. kernels.Where(kernel => kernel.Shape.Kind != KernelKind.RunOverhead)];
        double convolution = timed.Where(kernel => kernel.Shape.IsConvolution).Select(kernel => kernel.Milliseconds).DefaultIfEmpty(double.MaxValue).Min();
        return timed.GroupBy(kernel => kernel.Shape.Kind).ToDictionary(group => group.Key, group => Math.Min(group.Min(kernel => kernel.Milliseconds), convolution));
    }

    /// <summary>
    /// The nearest measured kernel of the same family (in log sizes), scaled by the work ratio; a pointwise convolution
    /// scaled down takes the geometric mean of that and its traffic ratio (<see cref="KernelShape.Traffic"/>: on a small
    /// map it still reads all its weights); and no kernel is taken below its kind's floor (<see cref="Floors"/>). With
    /// work alone, 35 networks drawn outside the design range were predicted at 0.53–1.11 of their time and their
    /// extrapolated kernels at a median 0.85; so, at 0.69–1.11 and 1.00 (docs/device-fit.md, "Outside the grid").
    /// </summary>
    private double Nearest(KernelShape shape)
    {
        if (!byFamily.TryGetValue(shape.Family, out KernelMeasurement[]? family) || family.Length == 0)
        {
            throw new InvalidOperationException($"The profile has no {shape.Kind} kernel with kernel size {shape.KernelSize}, stride {shape.Stride}{(shape.Variant.Length > 0 ? $" ({shape.Variant})" : "")}, needed for {shape}: measure it with a profile of this version.");
        }

        int[] sizes = KernelGrid.Sizes(shape);
        KernelMeasurement nearest = family.MinBy(kernel => Distance(KernelGrid.Sizes(kernel.Shape), sizes))!;
        double ratio = shape.Work / nearest.Shape.Work;
        if (ratio < 1 && shape.Kind == KernelKind.PointwiseConvolution)
        {
            ratio = Math.Sqrt(ratio * Math.Max(ratio, shape.Traffic / nearest.Shape.Traffic));
        }

        return Math.Max(Math.Max(nearest.Milliseconds, MinimumMilliseconds) * ratio, Math.Max(floors[shape.Kind], MinimumMilliseconds));
    }

    /// <summary>The distance between two kernels' sizes in log scale.</summary>
    private static double Distance(int[] a, int[] b) => a.Zip(b).Sum(pair => Math.Pow(Math.Log((double)pair.First / pair.Second), 2));

    /// <summary>The floor under a kernel's time for log interpolation (the overhead subtraction can leave 0).</summary>
    private const double MinimumMilliseconds = 1e-4;
}
