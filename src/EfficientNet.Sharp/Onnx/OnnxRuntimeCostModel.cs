using EfficientNet.Sharp.Devices;
using EfficientNet.Sharp.Onnx;
using EfficientNet.Sharp.Onnx.Protobuf;
using EfficientNet.Sharp.Onnx.Quantization;
using Google.Protobuf;
using EfficientNet.Sharp.Specs;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace EfficientNet.Sharp.OnnxRuntime;

/// <summary>
/// A device-fit cost model that measures what an ONNX Runtime deployment runs: each candidate is built, exported
/// with <c>ExportOnnx</c> and timed in an ONNX Runtime session, with <see cref="LatencyProfiler"/>'s policy
/// (burn-in, warm-up until stable, median of the timed runs, peak memory on Linux). Use it with
/// <c>DeviceFit.Using(new OnnxRuntimeCostModel(2))</c>. Measurements are cached by architecture and batch size.
/// </summary>
public sealed class OnnxRuntimeCostModel : ICostModel
{
    private readonly LatencyProfiler timing;
    private readonly Action<SessionOptions>? configureSession;
    private readonly Dictionary<(NetworkSpec Architecture, int BatchSize), LatencyMeasurement> cache = [];

    /// <summary>Creates the cost model for the CPU execution provider (or another, through <paramref name="configureSession"/>).</summary>
    /// <param name="threads">ONNX Runtime's intra-op threads (≥ 1); inter-op threads are 1.</param>
    /// <param name="warmupRuns">Least untimed runs per network (≥ 0).</param>
    /// <param name="timedRuns">Timed runs per network (≥ 1); their median is the latency.</param>
    /// <param name="configureSession">Called on each session's options last, for example to add an execution provider.</param>
    /// <exception cref="ArgumentOutOfRangeException">A count is out of range.</exception>
    public OnnxRuntimeCostModel(int threads, int warmupRuns = 5, int timedRuns = 10, Action<SessionOptions>? configureSession = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(threads);
        timing = new LatencyProfiler(ComputeDevice.Cpu(threads), warmupRuns, timedRuns);
        Threads = threads;
        this.configureSession = configureSession;
    }

    /// <summary>ONNX Runtime's intra-op threads.</summary>
    public int Threads { get; }

    /// <summary>
    /// Whether candidates are timed as int8 files (QDQ, as <c>ExportInt8Onnx</c> writes them with its defaults: SiLU and
    /// hard-swish outputs float) rather than float32 (default false). Ranges are made up: they change values, not speed.
    /// </summary>
    public bool Int8 { get; init; }

    /// <inheritdoc />
    public string Description => $"{timing.Device}, ONNX Runtime {OrtEnv.Instance().GetVersionString()} on exported {(Int8 ? "int8 (QDQ)" : "float32")} networks";

    /// <inheritdoc />
    bool ICostModel.MeasuresThisMachine => true;

    /// <inheritdoc />
    public CostMeasurement Measure(NetworkSpec spec, int batchSize, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        var key = (spec with { Name = "-", Scaling = null }, batchSize);
        lock (cache)
        {
            if (!cache.TryGetValue(key, out LatencyMeasurement? measurement))
            {
                cache[key] = measurement = MeasureUncached(spec, batchSize, cancellationToken);
            }

            return ToCost(measurement);
        }
    }

    /// <inheritdoc />
    /// <remarks>Measures in a fresh window and keeps the window with the lower median, as <see cref="LatencyProfiler.Remeasure"/> does.</remarks>
    public CostMeasurement Remeasure(NetworkSpec spec, int batchSize, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        var key = (spec with { Name = "-", Scaling = null }, batchSize);
        LatencyMeasurement fresh = MeasureUncached(spec, batchSize, cancellationToken);
        lock (cache)
        {
            LatencyMeasurement kept = cache.TryGetValue(key, out LatencyMeasurement? old) && old.MedianMilliseconds <= fresh.MedianMilliseconds ? old : fresh;
            cache[key] = kept;
            return ToCost(kept);
        }
    }

    /// <inheritdoc />
    /// <remarks>Both exports run in one window, alternately (<see cref="LatencyProfiler.MeasureRunnersInterleaved"/>); peak memory is kept from each network's own measurement.</remarks>
    public (CostMeasurement First, CostMeasurement Second) RemeasurePair(NetworkSpec first, NetworkSpec second, int batchSize, double? latencyBudgetMilliseconds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(first);
        ArgumentNullException.ThrowIfNull(second);
        byte[] a = Export(first);
        byte[] b = Export(second);
        (LatencyMeasurement x, LatencyMeasurement y) = timing.MeasureRunnersInterleaved(
            first,
            () => new SessionRunner(a, first, batchSize, Options()),
            second,
            () => new SessionRunner(b, second, batchSize, Options()),
            batchSize,
            latencyBudgetMilliseconds,
            cancellationToken);
        return (ToCost(Keep(first, batchSize, x)), ToCost(Keep(second, batchSize, y)));
    }

    /// <summary>Replaces the cache entry with an interleaved measurement, keeping the peak memory of the network's own window.</summary>
    private LatencyMeasurement Keep(NetworkSpec spec, int batchSize, LatencyMeasurement measurement)
    {
        var key = (spec with { Name = "-", Scaling = null }, batchSize);
        lock (cache)
        {
            LatencyMeasurement kept = cache.TryGetValue(key, out LatencyMeasurement? old) ? measurement with { PeakMemoryBytes = old.PeakMemoryBytes } : measurement;
            cache[key] = kept;
            return kept;
        }
    }

    private static CostMeasurement ToCost(LatencyMeasurement measurement) => new()
    {
        LatencyMilliseconds = measurement.MedianMilliseconds,
        LatencySpreadMilliseconds = measurement.MedianAbsoluteDeviationMilliseconds,
        PeakMemoryBytes = measurement.PeakMemoryBytes,
        Details = measurement,
    };

    private LatencyMeasurement MeasureUncached(NetworkSpec spec, int batchSize, CancellationToken cancellationToken)
    {
        byte[] model = Export(spec);
        return timing.MeasureRunner(() => new SessionRunner(model, spec, batchSize, Options()), batchSize, spec.Resolution, spec.Resolution, cancellationToken);
    }

    /// <summary>The candidate's file, written from its spec with random weights (no network built): timing does not depend on the values.</summary>
    private byte[] Export(NetworkSpec spec)
    {
        (ModelProto model, _) = OnnxModel.Build(spec, new RandomWeights(seed: 7), OnnxExportOptions.Default, Int8 ? CalibratedPlan.ForTiming(spec) : null);
        return model.ToByteArray();
    }

    private SessionOptions Options()
    {
        var options = new SessionOptions { IntraOpNumThreads = Threads, InterOpNumThreads = 1, LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL };
        configureSession?.Invoke(options);
        return options;
    }

    /// <summary>One session and one random input batch; the options are disposed with it.</summary>
    private sealed class SessionRunner : IInferenceRunner
    {
        private readonly SessionOptions options;
        private readonly InferenceSession session;
        private readonly NamedOnnxValue[] feed;

        public SessionRunner(byte[] model, NetworkSpec spec, int batchSize, SessionOptions options)
        {
            this.options = options;
            session = new InferenceSession(model, options);
            int[] shape = [batchSize, spec.InputChannels, spec.Resolution, spec.Resolution];
            var values = new float[shape.Aggregate(1, (a, b) => a * b)];
            var random = new Random(1);
            for (int i = 0; i < values.Length; i++)
            {
                values[i] = (float)((random.NextDouble() * 2) - 1);
            }

            feed = [NamedOnnxValue.CreateFromTensor(session.InputMetadata.Keys.Single(), new DenseTensor<float>(values, shape))];
        }

        public void Run()
        {
            using IDisposableReadOnlyCollection<DisposableNamedOnnxValue> _ = session.Run(feed);
        }

        public void Dispose()
        {
            session.Dispose();
            options.Dispose();
        }
    }
}
