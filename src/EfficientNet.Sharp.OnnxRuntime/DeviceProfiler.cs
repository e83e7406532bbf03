using System.Diagnostics;
using EfficientNet.Sharp.Onnx;
using EfficientNet.Sharp.Onnx.Protobuf;
using EfficientNet.Sharp.Onnx.Quantization;
using EfficientNet.Sharp.Profiles;
using EfficientNet.Sharp.Specs;
using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace EfficientNet.Sharp.OnnxRuntime;

/// <summary>
/// Measures this device's profile: every kernel of <see cref="KernelSuite"/> written as a small ONNX graph (no
/// TorchSharp; random weights) and timed in ONNX Runtime with the thread count given, the way an exported network runs.
/// An application on the target device (a Raspberry Pi, a Jetson, a customer's PC) calls this with no libtorch present;
/// the saved <see cref="DeviceProfile"/> then predicts latencies on any machine (<see cref="LatencyPredictor"/>).
/// </summary>
public sealed partial class DeviceProfiler
{
    /// <summary>Creates a profiler.</summary>
    /// <param name="threads">ONNX Runtime's intra-op threads (≥ 1): predictions hold for this count.</param>
    /// <param name="runMilliseconds">Time to spend timing a kernel in each of its windows after its warm-up (default 15 ms, at least 7 runs).</param>
    /// <exception cref="ArgumentOutOfRangeException">A value is out of range.</exception>
    public DeviceProfiler(int threads, double runMilliseconds = 15)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(threads);
        if (!(runMilliseconds is > 0 and <= 60_000))
        {
            throw new ArgumentOutOfRangeException(nameof(runMilliseconds), runMilliseconds, "runMilliseconds must be above 0 and at most 60,000.");
        }

        Threads = threads;
        RunMilliseconds = runMilliseconds;
    }

    /// <summary>Intra-op threads.</summary>
    public int Threads { get; }

    /// <summary>Time spent timing a kernel in each window.</summary>
    public double RunMilliseconds { get; }

    /// <summary>
    /// Whether to profile int8 deployment: convolutions are timed in the QDQ form <c>effnet export --int8</c> writes
    /// (ONNX Runtime's integer kernels where the export quantizes a convolution's input and output, float convolutions
    /// on 8-bit weights where it keeps one of them float), the calibration networks as int8 files with the default
    /// float islands, and the profile says <c>int8</c>. Predictions from it are for int8 files; float32 (the default) for float files.
    /// </summary>
    public bool Int8 { get; init; }

    /// <summary>
    /// Configures each timing session before it is created, after the profiler's own settings (threads, one inter-op
    /// thread, no log): session config entries, graph optimisation levels, an execution provider. A profile measured so
    /// describes the device with that configuration, and a deployment predicted from it should run with the same.
    /// </summary>
    public Action<SessionOptions>? ConfigureSession { get; init; }

    private string Precision => Int8 ? DeviceFacts.Int8Precision : DeviceFacts.Float32Precision;

    /// <summary>Times every kernel of the suite.</summary>
    /// <param name="progress">Receives the timings done, planned and the one under way.</param>
    /// <param name="cancellationToken">Stops between kernels.</param>
    /// <returns>The profile.</returns>
    public DeviceProfile Measure(IProgress<ProfilingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var steps = new Steps(progress);
        ChannelRules rules = ProbeChannelRules(steps, cancellationToken);
        var calibration = new CalibrationWindows(this, KernelSuite.CalibrationDesign(Int8));
        WeightStreaming? streaming = MeasureWeightStreaming(steps, cancellationToken);
        DeviceProfile profile = MeasureKernels(KernelSuite.Design(rules.Depthwise, Int8, rules.Blocked, rules.Block), rules, steps, cancellationToken, calibration);
        return profile with { Calibration = calibration.Result(), WeightStreaming = streaming };
    }

    /// <summary>
    /// The channel rules a profile records (<see cref="DeviceProfile.DepthwiseChannelMultiple"/>,
    /// <see cref="DeviceProfile.BlockedLayoutChannelMultiple"/>, <see cref="DeviceProfile.BlockedLayoutBlock"/>), and
    /// designs and records its kernels under: probed once per profile.
    /// </summary>
    private readonly record struct ChannelRules(int Depthwise, int Blocked, int Block)
    {
        /// <summary>The rules a profile recorded (0 for those it predates).</summary>
        public static ChannelRules Of(DeviceProfile profile) =>
            new(profile.DepthwiseChannelMultiple, profile.BlockedLayoutChannelMultiple ?? 0, profile.BlockedLayoutBlock ?? 0);

        /// <summary>
        /// The channel rule kernels are designed (<see cref="KernelSuite.Design(int, bool, int, int)"/>) and recorded under:
        /// a kernel asked of <see cref="MeasureKernels(IReadOnlyList{KernelShape}, IProgress{ProfilingProgress}?, CancellationToken)"/>
        /// is found in the profile at <c>VariantOf</c> of it.
        /// </summary>
        public ChannelAlignment Recording(bool int8) => KernelSuite.Alignment(Depthwise, int8, Blocked, Block);
    }

    /// <summary>Probes the <see cref="ChannelRules"/>: the depthwise multiple by timing, the blocked layout's by asking the runtime (no block where it blocks nothing).</summary>
    private ChannelRules ProbeChannelRules(Steps steps, CancellationToken cancellationToken)
    {
        int depthwise = DepthwiseChannelMultiple(steps, cancellationToken);
        int blocked = BlockedLayoutChannelMultiple();
        return new ChannelRules(depthwise, blocked, blocked == 0 ? 0 : BlockedLayoutBlock());
    }

    /// <summary>
    /// Times the kernels given (the run overhead is always measured and subtracted), each under the variant this device
    /// gives it: a convolution whose channels are off the channel multiple probed here is measured and recorded as the
    /// unaligned variant (in an int8 profile, off half of it too: the ragged one; in a float one, a pointwise or dense
    /// convolution the runtime runs in its plain layout), which is where a <see cref="LatencyPredictor"/> of the profile
    /// looks for it.
    /// </summary>
    /// <param name="kernels">The kernels.</param>
    /// <param name="progress">Receives the timings done, planned and the one under way.</param>
    /// <param name="cancellationToken">Stops between kernels.</param>
    /// <returns>The profile.</returns>
    public DeviceProfile MeasureKernels(IReadOnlyList<KernelShape> kernels, IProgress<ProfilingProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(kernels);
        var steps = new Steps(progress);
        ChannelRules rules = ProbeChannelRules(steps, cancellationToken);
        return MeasureKernels([.. kernels.Select(rules.Recording(Int8).VariantOf)], rules, steps, cancellationToken, calibration: null);
    }

    /// <summary>
    /// Each kernel asked of <see cref="MeasureKernels(IReadOnlyList{KernelShape}, IProgress{ProfilingProgress}?, CancellationToken)"/>
    /// with its time in the profile it made: found under the variant it was recorded as (<see cref="ChannelRules.Recording"/>).
    /// </summary>
    internal static Dictionary<KernelShape, double> TimesAsAsked(DeviceProfile profile, IEnumerable<KernelShape> asked)
    {
        ChannelAlignment recording = ChannelRules.Of(profile).Recording(profile.Device.IsInt8);
        Dictionary<KernelShape, double> times = profile.Kernels.ToDictionary(kernel => kernel.Shape, kernel => kernel.Milliseconds);
        return asked.Distinct().ToDictionary(shape => shape, shape => times[recording.VariantOf(shape)]);
    }

    /// <summary>
    /// The number a convolution's channels must be a multiple of to run at full speed here. Float: the least power of
    /// two q for which 256 + q depthwise channels cost per channel at most 1.5 times what 256 do (runtimes vectorise
    /// over channels; a count off the vector width falls to a slower kernel, 3–7 times slower on the machine this was
    /// written on), each candidate timed in windows alternating with the base count's, the fastest of each kept. Int8:
    /// the multiple whose grid predicts integer convolutions best (<see cref="ChannelMultipleChoice"/>), since the
    /// integer kernels' costs step with the channels in ways one comparison of two counts misread (it chose 16 in some
    /// windows and 64 in others; docs/device-fit.md).
    /// </summary>
    private int DepthwiseChannelMultiple(Steps steps, CancellationToken cancellationToken)
    {
        if (Int8)
        {
            return IntegerChannelMultiple(steps, cancellationToken);
        }

        const int baseChannels = 256, windows = 4;
        const double slower = 1.5;
        double Window(int channels)
        {
            cancellationToken.ThrowIfCancellationRequested();
            return Time(new KernelShape(KernelKind.DepthwiseConvolution, channels, channels, 28, 3, 1, ""), RunMilliseconds).Median / channels;
        }

        for (int multiple = 1; multiple < 64; multiple *= 2)
        {
            double aligned = double.MaxValue, candidate = double.MaxValue;
            for (int window = 0; window < windows; window++)
            {
                aligned = Math.Min(aligned, Window(baseChannels));
                candidate = Math.Min(candidate, Window(baseChannels + multiple));
            }

            if (candidate <= slower * aligned)
            {
                return multiple;
            }
        }

        return 64;
    }

    /// <summary>
    /// Times <see cref="ChannelMultipleChoice"/>'s probe kernels in three passes, the second in reverse order, keeps each
    /// one's fastest, and chooses (about 15 s here; in a noisy window every candidate's error came out 2–4 times a quiet one's).
    /// </summary>
    private int IntegerChannelMultiple(Steps steps, CancellationToken cancellationToken)
    {
        IReadOnlyList<KernelShape> probes = ChannelMultipleChoice.Probes();
        KernelShape[] passes = [.. probes, .. probes.Reverse(), .. probes];
        steps.Remaining += passes.Length;
        var fastest = new Dictionary<KernelShape, double>();
        foreach (KernelShape probe in passes)
        {
            cancellationToken.ThrowIfCancellationRequested();
            steps.Report($"channel multiple: {probe}");
            double time = Time(probe, RunMilliseconds).Median;
            fastest[probe] = fastest.TryGetValue(probe, out double earlier) ? Math.Min(earlier, time) : time;
        }

        return ChannelMultipleChoice.Choose(fastest);
    }

    /// <remarks>
    /// A shared or throttled machine runs at different speeds from one window of seconds to the next (up to 2× on the
    /// virtual machine this was written on), so a kernel is timed in two passes, the second in reverse order so that
    /// its two windows lie far apart, and in a third where the two disagree by more than 10 %; the fastest window is
    /// kept: the profile describes the device when nothing else slows it down. The calibration networks, if any, are
    /// timed in windows spread over the same passes (<see cref="CalibrationWindows"/>).
    /// </remarks>
    private DeviceProfile MeasureKernels(IReadOnlyList<KernelShape> kernels, ChannelRules rules, Steps steps, CancellationToken cancellationToken, CalibrationWindows? calibration)
    {
        ArgumentNullException.ThrowIfNull(kernels);
        KernelShape[] distinct = [.. kernels.Where(kernel => kernel.Kind != KernelKind.RunOverhead).Distinct()];
        var windows = distinct.ToDictionary(kernel => kernel, _ => new List<(double Median, double Spread, int Runs)>());
        var overheads = new List<(double Median, double Spread, int Runs)>();
        steps.Remaining = (2 * distinct.Length) + (calibration?.Steps ?? 0);
        for (int pass = 0; pass < 3; pass++)
        {
            KernelShape[] todo = pass switch
            {
                0 => distinct,
                1 => [.. distinct.Reverse()],
                _ => [.. distinct.Where(kernel => Disagree(windows[kernel][0].Median, windows[kernel][1].Median))],
            };
            steps.Remaining += pass == 2 ? todo.Length : 0;
            overheads.Add(TimeRunOverhead());
            if (pass == 0)
            {
                calibration?.Window(steps, cancellationToken); // at the start
            }

            for (int k = 0; k < todo.Length; k++)
            {
                if (pass < 2 && k == todo.Length / 2)
                {
                    calibration?.Window(steps, cancellationToken); // and in the middle of the two full ones
                }

                cancellationToken.ThrowIfCancellationRequested();
                steps.Report(todo[k].ToString());
                windows[todo[k]].Add(Time(todo[k], RunMilliseconds));
            }
        }

        calibration?.Window(steps, cancellationToken); // and at the end
        (double overhead, double overheadSpread, int overheadRuns) = overheads.MinBy(window => window.Median);
        var measurements = new List<KernelMeasurement> { new(KernelShape.RunOverhead, overhead, overheadSpread, overheadRuns) };
        foreach (KernelShape kernel in distinct)
        {
            (double median, double spread, int runs) = windows[kernel].MinBy(window => window.Median);
            measurements.Add(new KernelMeasurement(kernel, Math.Max(0, median - overhead), spread, runs));
        }

        steps.Finish();
        return new DeviceProfile
        {
            Device = DeviceFacts.OfThisMachine(RuntimeVersion, Threads, Precision),
            DepthwiseChannelMultiple = rules.Depthwise,
            BlockedLayoutChannelMultiple = rules.Blocked,
            // No block where the profile's convolutions run in no blocked layout (an int8 profile's integer ones).
            BlockedLayoutBlock = rules.Block,
            Kernels = measurements,
        };

        static bool Disagree(double a, double b) => Math.Abs(a - b) > 0.1 * Math.Min(a, b);
    }

    /// <summary>
    /// Times a whole network here, the way the profile's kernels are timed (random weights, batch 1, the profiler's
    /// threads, no libtorch): what a prediction from this device's profile is checked against.
    /// </summary>
    /// <param name="spec">The network.</param>
    /// <param name="cancellationToken">Stops before the timing.</param>
    /// <returns>The network's median time, its spread and the runs timed.</returns>
    public NetworkTiming MeasureNetwork(NetworkSpec spec, CancellationToken cancellationToken = default) =>
        MeasureNetworkInWindow(spec, NetworkBudgetMilliseconds, cancellationToken);

    /// <summary>
    /// Times a whole network in a window of another length: the benchmarks compare windows with it (how long the
    /// calibration networks' windows should be, docs/device-fit.md).
    /// </summary>
    internal NetworkTiming MeasureNetworkInWindow(NetworkSpec spec, double windowMilliseconds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(windowMilliseconds);
        cancellationToken.ThrowIfCancellationRequested();
        (double median, double spread, int runs) = Time(Network(spec), windowMilliseconds);
        return new NetworkTiming(median, spread, runs);
    }

    /// <summary>How long a whole network is timed in one window (a second at least, for the hundreds of runs of a small one).</summary>
    private double NetworkBudgetMilliseconds => Math.Max(RunMilliseconds, 1000);

    /// <summary>A whole network with random weights, float or as the int8 export writes it (default float islands).</summary>
    private ModelProto Network(NetworkSpec spec) =>
        OnnxModel.Build(spec, new RandomWeights(seed: 7), OnnxExportOptions.Default with { DynamicBatch = false }, Int8 ? CalibratedPlan.ForTiming(spec) : null).Model;

    /// <summary>The ONNX Runtime version the kernels run in.</summary>
    public static string RuntimeVersion => OrtEnv.Instance().GetVersionString();

    /// <summary>The run overhead (<see cref="KernelShape.RunOverhead"/>), timed for at least 100 ms: thousands of runs of a few microseconds.</summary>
    private (double Median, double Spread, int Runs) TimeRunOverhead() => Time(KernelShape.RunOverhead, Math.Max(RunMilliseconds, 100));

    /// <summary>Median and median absolute deviation of the kernel's runs, after a warm-up, in milliseconds.</summary>
    private (double Median, double Spread, int Runs) Time(KernelShape kernel, double budgetMilliseconds) =>
        Time(KernelGraph.Build(kernel, int8: Int8), budgetMilliseconds);

    /// <summary>Median and median absolute deviation of a model's runs, after a warm-up, in milliseconds.</summary>
    private (double Median, double Spread, int Runs) Time(ModelProto model, double budgetMilliseconds)
    {
        using var options = new SessionOptions
        {
            IntraOpNumThreads = Threads,
            InterOpNumThreads = 1,
            LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL,
        };
        ConfigureSession?.Invoke(options);
        using var session = new InferenceSession(model.ToByteArray(), options);
        NamedOnnxValue[] inputs = [.. session.InputMetadata.Select(input => NamedOnnxValue.CreateFromTensor(input.Key, RandomInput(input.Value.Dimensions)))];

        // Warm-up: at least three runs and a fifth of the budget, so that lazy allocation and prepacking are done.
        var clock = Stopwatch.StartNew();
        for (int run = 0; run < 3 || clock.Elapsed.TotalMilliseconds < budgetMilliseconds / 5; run++)
        {
            using IDisposableReadOnlyCollection<DisposableNamedOnnxValue> _ = session.Run(inputs);
        }

        var samples = new List<double>();
        clock.Restart();
        while (samples.Count < 7 || (clock.Elapsed.TotalMilliseconds < budgetMilliseconds && samples.Count < 500))
        {
            long start = Stopwatch.GetTimestamp();
            using (IDisposableReadOnlyCollection<DisposableNamedOnnxValue> _ = session.Run(inputs))
            {
            }

            samples.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        }

        double median = Median(samples);
        return (median, Median([.. samples.Select(sample => Math.Abs(sample - median))]), samples.Count);
    }

    private static DenseTensor<float> RandomInput(int[] dimensions)
    {
        var random = new Random(3);
        int[] shape = [.. dimensions.Select(d => Math.Max(d, 1))];
        var tensor = new DenseTensor<float>(shape);
        Span<float> values = tensor.Buffer.Span;
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = (float)((random.NextDouble() * 2) - 1);
        }

        return tensor;
    }

    private static double Median(List<double> values)
    {
        values.Sort();
        int middle = values.Count / 2;
        return values.Count % 2 == 1 ? values[middle] : (values[middle - 1] + values[middle]) / 2;
    }
}
