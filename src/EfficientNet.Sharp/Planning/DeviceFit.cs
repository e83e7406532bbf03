using EfficientNet.Sharp.Devices;
using EfficientNet.Sharp.Scaling;
using EfficientNet.Sharp.Specs;

namespace EfficientNet.Sharp.Planning;

/// <summary>
/// Answers "how big a network should I run here?": the largest network of a scaling family whose cost,
/// measured on this device, meets a budget.
/// <code>
/// FitResult fit = DeviceFit.OnThisMachine(threads: 4)
///     .WithinLatency(TimeSpan.FromMilliseconds(30), batchSize: 1)
///     .Fit();
/// using var model = fit.Build();
/// Console.WriteLine(fit.Report);
/// </code>
/// Immutable: every <c>With…</c>/<c>Within…</c> method returns a new fit.
/// </summary>
/// <remarks>
/// φ runs over [−6, 7] by default (0 is B0, 7 is B7, −6 a 96-pixel network a third of B0's depth).
/// Parameter and multiply-accumulate limits are decided from the spec without running anything.
/// Latency and memory limits are measured: see <see cref="Fit"/> for the search.
/// </remarks>
public sealed partial class DeviceFit
{
    private readonly ICostModel? costModel;
    private double? latencyMilliseconds;
    private int batchSize = 1;
    private long? maxParameters;
    private long? maxMultiplyAccumulates;
    private long? maxPeakMemoryBytes;
    private ScalingMode mode = ScalingMode.Compound;
    private ScalingFamily? customFamily;
    private EfficientNetBuilder template = new();
    private Models.RegisteredModel? model;
    private Models.ModelOverrides? modelSettings;
    private int? fixedResolution;
    private double minPhi = -6;
    private double maxPhi = 7;
    private IProgress<FitProgress>? progress;

    private DeviceFit(ICostModel? costModel) => this.costModel = costModel;

    /// <summary>The CPU of this machine.</summary>
    /// <param name="threads">Intra-op threads to measure with; libtorch's current setting (the core count by default) when omitted.</param>
    /// <param name="warmupRuns">Least untimed runs per network.</param>
    /// <param name="timedRuns">Timed runs per network; their median is the latency.</param>
    /// <returns>A fit that measures here.</returns>
    public static DeviceFit OnThisMachine(int? threads = null, int warmupRuns = 5, int timedRuns = 10) =>
        new(new LatencyProfiler(ComputeDevice.Cpu(threads), warmupRuns, timedRuns));

    /// <summary>A CUDA GPU of this machine.</summary>
    /// <param name="index">The GPU's index.</param>
    /// <param name="warmupRuns">Least untimed runs per network.</param>
    /// <param name="timedRuns">Timed runs per network; their median is the latency.</param>
    /// <returns>A fit that measures on the GPU.</returns>
    /// <exception cref="InvalidOperationException">No such CUDA device.</exception>
    public static DeviceFit OnCuda(int index = 0, int warmupRuns = 5, int timedRuns = 10) =>
        new(new LatencyProfiler(ComputeDevice.Cuda(index), warmupRuns, timedRuns));

    /// <summary>Any cost model: a profiler you configured, or a deterministic model for planning without a device.</summary>
    /// <param name="costModel">Where costs come from.</param>
    /// <returns>A fit that asks <paramref name="costModel"/>.</returns>
    public static DeviceFit Using(ICostModel costModel)
    {
        ArgumentNullException.ThrowIfNull(costModel);
        return new DeviceFit(costModel);
    }

    /// <summary>A fit with limits decided from the spec alone (parameters, multiply-accumulates); nothing is measured.</summary>
    /// <returns>A fit without a device.</returns>
    public static DeviceFit FromSpecsOnly() => new(null);

    /// <summary>Limits the time of one inference call.</summary>
    /// <param name="latency">The most time per call (positive).</param>
    /// <param name="batchSize">Images per call (≥ 1); also the batch for memory limits.</param>
    /// <returns>A new fit.</returns>
    /// <exception cref="ArgumentOutOfRangeException">An argument is out of range.</exception>
    public DeviceFit WithinLatency(TimeSpan latency, int batchSize = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(latency, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        return With(f => (f.latencyMilliseconds, f.batchSize) = (latency.TotalMilliseconds, batchSize));
    }

    /// <summary>Limits the learnable parameters.</summary>
    /// <param name="maxParameters">The most parameters (≥ 1).</param>
    /// <returns>A new fit.</returns>
    public DeviceFit WithinParameters(long maxParameters)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxParameters);
        return With(f => f.maxParameters = maxParameters);
    }

    /// <summary>Limits the multiply-accumulates per image.</summary>
    /// <param name="maxMultiplyAccumulates">The most multiply-accumulates (≥ 1).</param>
    /// <returns>A new fit.</returns>
    public DeviceFit WithinMultiplyAccumulates(long maxMultiplyAccumulates)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxMultiplyAccumulates);
        return With(f => f.maxMultiplyAccumulates = maxMultiplyAccumulates);
    }

    /// <summary>Limits peak memory while running a batch: measured where the device tells (CPU on Linux), otherwise estimated from the spec (weights, buffers and the activation peak).</summary>
    /// <param name="maxBytes">The most bytes (≥ 1).</param>
    /// <returns>A new fit.</returns>
    public DeviceFit WithinPeakMemory(long maxBytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxBytes);
        return With(f => f.maxPeakMemoryBytes = maxBytes);
    }

    /// <summary>Sets the batch size for latency and memory (default 1).</summary>
    /// <param name="batchSize">Images per call (≥ 1).</param>
    /// <returns>A new fit.</returns>
    public DeviceFit WithBatchSize(int batchSize)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        return With(f => f.batchSize = batchSize);
    }

    /// <summary>Chooses which dimensions to scale (default <see cref="ScalingMode.Compound"/>).</summary>
    /// <param name="mode">The scaling mode.</param>
    /// <returns>A new fit.</returns>
    public DeviceFit Scaling(ScalingMode mode)
    {
        if (!Enum.IsDefined(mode))
        {
            throw new ArgumentOutOfRangeException(nameof(mode), mode, "Unknown scaling mode.");
        }

        return With(f => (f.mode, f.customFamily) = (mode, null));
    }

    /// <summary>Searches along your own family instead of a scaling mode.</summary>
    /// <param name="family">The family; its cost must not decrease with φ.</param>
    /// <returns>A new fit.</returns>
    public DeviceFit Along(ScalingFamily family)
    {
        ArgumentNullException.ThrowIfNull(family);
        return With(f => f.customFamily = family);
    }

    /// <summary>
    /// Sets the options every candidate shares (classes, input channels, dropout, …); φ and scaling come from the fit.
    /// For EfficientNet from B0 only: a fit <see cref="ForModel">for a registered model</see> takes its shared settings there.
    /// </summary>
    /// <param name="template">A builder with those options.</param>
    /// <returns>A new fit.</returns>
    public DeviceFit From(EfficientNetBuilder template)
    {
        ArgumentNullException.ThrowIfNull(template);
        return With(f => f.template = template);
    }

    /// <summary>
    /// Fits a registered model instead of EfficientNet from B0: φ = 0 is the model itself, and each mode scales its
    /// own width, depth or resolution (<see cref="ScalingFamily.ForModel"/>).
    /// The mode becomes compound for EfficientNet-B models and width-only for the others; <see cref="Scaling"/> changes it.
    /// </summary>
    /// <param name="model">The model, e.g. <c>ModelRegistry.Get("mobilenet_v2")</c>.</param>
    /// <param name="shared">Settings every candidate shares (the class count).</param>
    /// <returns>A new fit.</returns>
    public DeviceFit ForModel(Models.RegisteredModel model, Models.ModelOverrides? shared = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ScalingMode start = ScalingFamily.Supports(ScalingMode.Compound, model) ? ScalingMode.Compound : ScalingMode.WidthOnly;
        return With(f => (f.model, f.modelSettings, f.mode, f.customFamily) = (model, shared, start, null));
    }

    /// <summary>Measures every candidate at one input size (for a camera with a fixed frame size, or a quick fit), instead of the size φ gives.</summary>
    /// <param name="pixels">Square input size, at least the network's total stride (32).</param>
    /// <returns>A new fit.</returns>
    public DeviceFit AtResolution(int pixels)
    {
        Guard.MinimumResolution(pixels, NetworkPresets.EfficientNetB0.TotalStride, nameof(pixels));
        return With(f => f.fixedResolution = pixels);
    }

    /// <summary>Sets the φ range searched (default −6 to 7); φ is searched to 0.1.</summary>
    /// <param name="min">The smallest φ.</param>
    /// <param name="max">The largest φ (≥ min).</param>
    /// <returns>A new fit.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A bound is not finite, or max &lt; min.</exception>
    public DeviceFit SearchingPhi(double min, double max)
    {
        if (!double.IsFinite(min))
        {
            throw new ArgumentOutOfRangeException(nameof(min), min, "The smallest φ must be finite.");
        }

        if (!double.IsFinite(max) || max < min)
        {
            throw new ArgumentOutOfRangeException(nameof(max), max, $"The largest φ must be finite and at least the smallest ({min}).");
        }

        return With(f => (f.minPhi, f.maxPhi) = (min, max));
    }

    /// <summary>Reports each measurement before it starts.</summary>
    /// <param name="progress">The receiver.</param>
    /// <returns>A new fit.</returns>
    public DeviceFit WithProgress(IProgress<FitProgress> progress)
    {
        ArgumentNullException.ThrowIfNull(progress);
        return With(f => f.progress = progress);
    }

    /// <summary>
    /// Finds the largest φ (to 0.1) that meets every limit. Spec limits come first: the candidates
    /// are cut to those within the parameter and multiply-accumulate limits. Then, for measured limits,
    /// the search measures φ = 0 and steps by 1 up (or down) until the budget is bracketed, fits
    /// log(latency) over φ, predicts the boundary, and steps by 0.1 from the prediction until a φ
    /// whose measurement meets the budget sits next to one whose measurement does not.
    /// </summary>
    /// <param name="cancellationToken">Stops the search.</param>
    /// <returns>The choice and all measurements; <see cref="FitResult.Fits"/> is false when even the smallest φ breaks the budget.</returns>
    /// <exception cref="InvalidOperationException">No limit was set, or a measured limit was set on a fit without a device.</exception>
    public FitResult Fit(CancellationToken cancellationToken = default)
    {
        FitBudget budget = Budget();
        ScalingFamily family = customFamily
            ?? (model is null ? ScalingFamily.For(mode, template, fixedResolution) : ScalingFamily.ForModel(mode, model, modelSettings, fixedResolution));
        var search = new BoundarySearch(family, budget, costModel, minPhi, maxPhi, progress, cancellationToken);
        OtherProcessLoad? before = costModel is { MeasuresThisMachine: true } ? OtherProcessLoad.Sample() : null;
        FitResult result = search.Run(costModel?.Description ?? "specs only");
        result.MeasuredRuntime = costModel?.Runtime;
        result.OtherProcessCores = before is not null && result.Candidates.Any(c => c.Measurement is { IsPredicted: false }) ? OtherProcessLoad.CoresBetween(before, OtherProcessLoad.Sample()) : null;
        return result;
    }

    /// <summary>
    /// Runs the same fit for compound, width-only, depth-only and resolution-only scaling (resolution-only
    /// is left out at a fixed resolution, and a registered model's fit leaves out the modes it lacks), so
    /// that what each reaches within the budget can be compared. Measurements are shared between the fits.
    /// </summary>
    /// <param name="cancellationToken">Stops the search.</param>
    /// <returns>One result per mode.</returns>
    public IReadOnlyList<FitResult> CompareModes(CancellationToken cancellationToken = default) =>
        [.. Enum.GetValues<ScalingMode>()
            .Where(m => !(m == ScalingMode.ResolutionOnly && fixedResolution is not null))
            .Where(m => model is null || ScalingFamily.Supports(m, model))
            .Select(m => Scaling(m).Fit(cancellationToken))];

    private FitBudget Budget()
    {
        var budget = new FitBudget(latencyMilliseconds, batchSize, maxParameters, maxMultiplyAccumulates, maxPeakMemoryBytes);
        if (budget.LatencyMilliseconds is null && budget.MaxParameters is null && budget.MaxMultiplyAccumulates is null && budget.MaxPeakMemoryBytes is null)
        {
            throw new InvalidOperationException("Set at least one limit: WithinLatency, WithinParameters, WithinMultiplyAccumulates or WithinPeakMemory.");
        }

        return budget;
    }

    private DeviceFit With(Action<DeviceFit> change)
    {
        var copy = (DeviceFit)MemberwiseClone();
        change(copy);
        return copy;
    }
}
