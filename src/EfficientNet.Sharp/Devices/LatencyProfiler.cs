using System.Collections.Concurrent;
using System.Diagnostics;
using EfficientNet.Sharp.Models;
using EfficientNet.Sharp.Specs;
using TorchSharp;
using static TorchSharp.torch;

namespace EfficientNet.Sharp.Devices;

/// <summary>
/// Measures inference latency on a device: a few untimed warm-up runs, then timed runs, in eval mode
/// under <c>torch.inference_mode</c>, with the device's thread count set for the duration. It measures the
/// form a deployment ships, the <c>ForInference()</c> copy, unless <see cref="Runtime"/> says otherwise. The first
/// measurement on a device in a process is preceded by a one-second burn-in. Each
/// (spec, batch) is measured once per profiler and then served from its cache, so a planner that
/// asks twice does not measure twice. Measurements run one at a time (libtorch's thread count is
/// process-wide).
/// </summary>
public sealed partial class LatencyProfiler : ICostModel
{
    private const int MaxExtraWarmupRuns = 10;
    private static readonly TimeSpan ProcessBurnIn = TimeSpan.FromSeconds(1);
    private static readonly Lock MeasurementLock = new();
    private static readonly HashSet<ComputeDevice> BurnedInDevices = [];
    private readonly ConcurrentDictionary<(NetworkSpec Architecture, int BatchSize), LatencyMeasurement> cache = new();

    /// <summary>Creates a profiler.</summary>
    /// <param name="device">Where to measure.</param>
    /// <param name="warmupRuns">
    /// Untimed runs first (≥ 0): the first runs pay for memory allocation and kernel selection. Warm-up
    /// continues past this count (by up to 10 runs) until two consecutive runs agree within 15%.
    /// </param>
    /// <param name="timedRuns">Timed runs (≥ 1).</param>
    /// <exception cref="ArgumentOutOfRangeException">A run count is out of range.</exception>
    public LatencyProfiler(ComputeDevice device, int warmupRuns = 5, int timedRuns = 10)
    {
        ArgumentNullException.ThrowIfNull(device);
        ArgumentOutOfRangeException.ThrowIfNegative(warmupRuns);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(timedRuns);
        Device = device;
        WarmupRuns = warmupRuns;
        TimedRuns = timedRuns;
    }

    /// <summary>Where this profiler measures.</summary>
    public ComputeDevice Device { get; }

    /// <summary>The least number of untimed runs before the timed ones.</summary>
    public int WarmupRuns { get; }

    /// <summary>Timed runs per measurement.</summary>
    public int TimedRuns { get; }

    /// <summary>Which form of each network is timed (default <see cref="InferenceRuntime.Prepared"/>).</summary>
    public InferenceRuntime Runtime { get; init; } = InferenceRuntime.Prepared;

    /// <inheritdoc />
    InferenceRuntime? ICostModel.Runtime => Runtime;

    /// <inheritdoc />
    bool ICostModel.MeasuresThisMachine => true;

    /// <inheritdoc />
    public string Description => Runtime switch
    {
        InferenceRuntime.Prepared => $"{Device}, ForInference() copies",
        InferenceRuntime.Eager => $"{Device}, eager networks",
        _ => throw new InvalidOperationException($"Unknown runtime {Runtime}."),
    };

    /// <summary>How many networks this profiler has measured (cache entries).</summary>
    public int MeasuredCount => cache.Count;

    /// <summary>Builds the network a spec describes and measures it at the spec's resolution, or returns the cached measurement.</summary>
    /// <param name="spec">The network. Specs that differ only in name or scaling record share a measurement.</param>
    /// <param name="batchSize">Images per run (≥ 1).</param>
    /// <param name="cancellationToken">Stops between runs.</param>
    /// <returns>The measurement.</returns>
    /// <exception cref="OperationCanceledException">Cancelled.</exception>
    public LatencyMeasurement Measure(NetworkSpec spec, int batchSize, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        var key = (spec with { Name = "-", Scaling = null }, batchSize);
        if (cache.TryGetValue(key, out LatencyMeasurement? cached))
        {
            return cached;
        }

        LatencyMeasurement measurement = MeasureUncached(spec, batchSize, cancellationToken);
        return cache.GetOrAdd(key, measurement);
    }

    /// <summary>Measures a module you built yourself (not cached).</summary>
    /// <param name="model">The module; it is moved to the device and put in eval mode.</param>
    /// <param name="inputShape">N × C × H × W of the input batch.</param>
    /// <param name="cancellationToken">Stops between runs.</param>
    /// <returns>The measurement (without peak memory: the module existed before the window opened).</returns>
    /// <exception cref="OperationCanceledException">Cancelled.</exception>
    internal LatencyMeasurement MeasureModule(nn.Module<Tensor, Tensor> model, long[] inputShape, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(inputShape);
        if (inputShape.Length != 4 || inputShape.Any(d => d < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(inputShape), "The input shape must be N × C × H × W with every size ≥ 1.");
        }

        lock (MeasurementLock)
        {
            using var threads = UseThreads();
            var samples = Time(model, inputShape, cancellationToken);
            return new LatencyMeasurement(Device, (int)inputShape[0], (int)inputShape[2], (int)inputShape[3], WarmupRuns, samples, null);
        }
    }

    /// <summary>
    /// Times another runtime (ONNX Runtime, for example) with this profiler's policy: the device's burn-in, warm-up
    /// until two runs agree, the timed runs, and on Linux CPUs the peak memory from <paramref name="create"/> on
    /// (so a runtime's own copy of the weights counts). Not cached; one measurement at a time, as for networks.
    /// </summary>
    /// <param name="create">Loads the runtime and its input; called once, inside the measurement window.</param>
    /// <param name="batchSize">Images per run, for the record.</param>
    /// <param name="inputHeight">Input height in pixels, for the record.</param>
    /// <param name="inputWidth">Input width in pixels, for the record.</param>
    /// <param name="cancellationToken">Stops between runs.</param>
    /// <returns>The measurement.</returns>
    /// <exception cref="OperationCanceledException">Cancelled.</exception>
    internal LatencyMeasurement MeasureRunner(Func<IInferenceRunner> create, int batchSize, int inputHeight, int inputWidth, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(create);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inputHeight);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inputWidth);
        lock (MeasurementLock)
        {
            using var threads = UseThreads();
            long? baseline = Device.Type == DeviceType.CPU ? ProcessMemory.BeginPeakWindow() : null;
            List<double> samples;
            using (IInferenceRunner runner = create())
            {
                samples = Time(runner.Run, cancellationToken);
            }

            long? peak = ProcessMemory.EndPeakWindow(baseline);
            return new LatencyMeasurement(Device, batchSize, inputHeight, inputWidth, WarmupRuns, samples, peak);
        }
    }

    /// <summary>
    /// Measures again in a fresh window and keeps whichever window had the lower median: the
    /// machine's speed when nothing else interferes (on a shared machine, one window can run at half
    /// speed). Peak memory is the larger of the two.
    /// </summary>
    /// <param name="spec">The network.</param>
    /// <param name="batchSize">Images per run (≥ 1).</param>
    /// <param name="cancellationToken">Stops between runs.</param>
    /// <returns>The better measurement, now cached.</returns>
    /// <exception cref="OperationCanceledException">Cancelled.</exception>
    public LatencyMeasurement Remeasure(NetworkSpec spec, int batchSize, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        var key = (spec with { Name = "-", Scaling = null }, batchSize);
        LatencyMeasurement fresh = MeasureUncached(spec, batchSize, cancellationToken);
        return cache.AddOrUpdate(key, fresh, (_, old) =>
        {
            LatencyMeasurement better = fresh.MedianMilliseconds < old.MedianMilliseconds ? fresh : old;
            long? peak = old.PeakMemoryBytes is long a && fresh.PeakMemoryBytes is long b ? Math.Max(a, b) : old.PeakMemoryBytes ?? fresh.PeakMemoryBytes;
            return better with { PeakMemoryBytes = peak };
        });
    }

    /// <summary>The prepared copy a measurement times, or <see langword="null"/> when the eager network itself is timed.</summary>
    private InferenceNetwork? Prepared(ConvNetwork network) => Runtime switch
    {
        InferenceRuntime.Prepared => network.ForInference(),
        InferenceRuntime.Eager => null,
        _ => throw new InvalidOperationException($"Unknown runtime {Runtime}."),
    };

    /// <summary>Moves the module to the device in eval mode and makes a random input for it.</summary>
    private Tensor Prepare(nn.Module<Tensor, Tensor> model, long[] inputShape)
    {
        model.to(Device.TorchDevice);
        model.eval();
        return torch.randn(inputShape, device: Device.TorchDevice);
    }

    /// <inheritdoc />
    CostMeasurement ICostModel.Measure(NetworkSpec spec, int batchSize, CancellationToken cancellationToken) =>
        ToCost(Measure(spec, batchSize, cancellationToken));

    /// <inheritdoc />
    CostMeasurement ICostModel.Remeasure(NetworkSpec spec, int batchSize, CancellationToken cancellationToken) =>
        ToCost(Remeasure(spec, batchSize, cancellationToken));

    private static CostMeasurement ToCost(LatencyMeasurement measurement) =>
        new(measurement.MedianMilliseconds, measurement.MedianAbsoluteDeviationMilliseconds, measurement.PeakMemoryBytes, measurement);

    /// <summary>A network is one more runner: built (in <see cref="Runtime"/>'s form) inside the peak-memory window.</summary>
    private LatencyMeasurement MeasureUncached(NetworkSpec spec, int batchSize, CancellationToken cancellationToken) =>
        MeasureRunner(() => new ModuleRunner(this, spec, batchSize), batchSize, spec.Resolution, spec.Resolution, cancellationToken);

    private List<double> Time(nn.Module<Tensor, Tensor> model, long[] inputShape, CancellationToken cancellationToken)
    {
        using Tensor input = Prepare(model, inputShape);
        return Time(() => RunModule(model, input), cancellationToken);
    }

    /// <summary>The timing policy, for any runtime: burn-in once per device, warm-up until stable, then the timed runs.</summary>
    private List<double> Time(Action runOnce, CancellationToken cancellationToken)
    {

        // The first networks a process runs are markedly slower (seen here: 30–100% on a 2-vCPU machine)
        // while the C allocator's heap and libtorch's kernel caches grow, so each device is first
        // exercised for a while before anything is timed.
        if (BurnedInDevices.Add(Device))
        {
            long burnInStart = Stopwatch.GetTimestamp();
            while (Stopwatch.GetElapsedTime(burnInStart) < ProcessBurnIn)
            {
                RunOnce(runOnce, cancellationToken);
            }
        }

        // Warm up for at least WarmupRuns, and on until two consecutive runs agree within 15%: the
        // first runs of a new shape pay for allocation and kernel selection, sometimes several runs in.
        double previous = double.PositiveInfinity;
        for (int run = 0; run < WarmupRuns + MaxExtraWarmupRuns; run++)
        {
            double current = RunOnce(runOnce, cancellationToken);
            if (run + 1 >= WarmupRuns && Math.Abs(current - previous) <= 0.15 * Math.Min(current, previous))
            {
                break;
            }

            previous = current;
        }

        var samples = new List<double>(TimedRuns);
        for (int run = 0; run < TimedRuns; run++)
        {
            samples.Add(RunOnce(runOnce, cancellationToken));
        }

        return samples;
    }

    private static double RunOnce(Action runOnce, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        long start = Stopwatch.GetTimestamp();
        runOnce();
        return Stopwatch.GetElapsedTime(start).TotalMilliseconds;
    }

    private void RunModule(nn.Module<Tensor, Tensor> model, Tensor input)
    {
        using (torch.inference_mode())
        using (torch.NewDisposeScope())
        {
            model.call(input);
            if (Device.Type == DeviceType.CUDA)
            {
                torch.cuda.synchronize(Device.TorchDevice);
            }
        }
    }

    private ThreadSetting UseThreads() => new(Device.Type == DeviceType.CPU ? Device.Threads : null);

    /// <summary>Sets libtorch's intra-op thread count and restores the previous one.</summary>
    private readonly struct ThreadSetting : IDisposable
    {
        private readonly int previous;

        public ThreadSetting(int? threads)
        {
            previous = torch.get_num_threads();
            if (threads is int t && t != previous)
            {
                torch.set_num_threads(t);
            }
        }

        public void Dispose()
        {
            if (torch.get_num_threads() != previous)
            {
                torch.set_num_threads(previous);
            }
        }
    }
}
