using System.Globalization;
using System.Text;
using EfficientNet.Sharp.Devices;
using EfficientNet.Sharp.Models;
using static TorchSharp.torch;

namespace EfficientNet.Sharp.Planning;

/// <summary>The outcome of a device fit: the network chosen (if any fits) and the measurements behind the choice.</summary>
public sealed class FitResult
{
    internal FitResult(
        string family,
        string device,
        FitBudget budget,
        double minPhi,
        double maxPhi,
        FitCandidate? chosen,
        FitCandidate? nextLarger,
        IReadOnlyList<FitCandidate> candidates,
        CostCurve? latencyCurve)
    {
        Family = family;
        Device = device;
        Budget = budget;
        MinPhi = minPhi;
        MaxPhi = maxPhi;
        Chosen = chosen;
        NextLarger = nextLarger;
        Candidates = candidates;
        LatencyCurve = latencyCurve;
    }

    /// <summary>The family searched (for example <c>compound</c>, or <c>mobilenet_v3_small width</c>).</summary>
    public string Family { get; }

    /// <summary>Where costs were measured.</summary>
    public string Device { get; }

    /// <summary>The budget.</summary>
    public FitBudget Budget { get; }

    /// <summary>The smallest φ searched.</summary>
    public double MinPhi { get; }

    /// <summary>The largest φ searched.</summary>
    public double MaxPhi { get; }

    /// <summary>Whether some network in the range meets the budget.</summary>
    public bool Fits => Chosen is not null;

    /// <summary>The largest φ (to 0.1) whose cost meets the budget, or <see langword="null"/> when nothing fits.</summary>
    public FitCandidate? Chosen { get; }

    /// <summary>The network 0.1 above the choice, whose cost breaks the budget (the confirmation); <see langword="null"/> when the choice is the top of the range.</summary>
    public FitCandidate? NextLarger { get; }

    /// <summary>Every network measured (and, without measured limits, the choice and its neighbour), by φ.</summary>
    public IReadOnlyList<FitCandidate> Candidates { get; }

    /// <summary>
    /// How many measurements were repeated to decide the boundary: the first φ over the budget is measured once more,
    /// interleaved with the φ below it, before it is believed (0 when the budget needed no measurement or the choice is
    /// the top of the range).
    /// </summary>
    public int Remeasurements => Repeats.Count;

    /// <summary>The measurements taken twice, with both latencies: how far the machine's speed moved between them.</summary>
    internal IReadOnlyList<RepeatedMeasurement> Repeats { get; init; } = [];

    /// <summary>
    /// The average number of CPU cores other processes (and a virtual machine's neighbours, as steal time) kept busy
    /// while the fit ran, on Linux; <see langword="null"/> elsewhere or when nothing was measured.
    /// </summary>
    public double? OtherProcessCores { get; internal set; }

    /// <summary>
    /// Why the measurements may not be trusted, one sentence each: a candidate whose spread exceeds 10 % of its median, a
    /// network with 10 % more multiply-accumulates measured 10 % faster than a smaller one, a network measured again
    /// 15 % away from its first measurement (the machine's speed changed during the fit), or other processes keeping
    /// more than a quarter of a core busy while the fit measured. Empty when nothing was found or nothing was measured.
    /// </summary>
    public IReadOnlyList<string> TrustWarnings => MeasurementTrust.Warnings(this);

    /// <summary>The latency curve fitted to the coarse measurements, when one was needed.</summary>
    internal CostCurve? LatencyCurve { get; }

    /// <summary>Whether a latency curve was fitted to the coarse measurements (the search predicted the boundary from it).</summary>
    public bool HasLatencyCurve => LatencyCurve is not null;

    /// <summary>The fitted curve's latency at <paramref name="phi"/>, in milliseconds, or <see langword="null"/> when no curve was fitted.</summary>
    /// <param name="phi">A coordinate of the family.</param>
    /// <returns>exp(a + b·φ + c·φ²), the log-latency fit.</returns>
    public double? PredictLatencyMilliseconds(double phi) => LatencyCurve?.Predict(phi);

    /// <summary>
    /// How the measured peak memory compares with the spec's estimate: the median of measured ÷ estimated over the
    /// networks whose peak was measured (above 1 where libtorch's workspaces and allocator slack add to what the spec
    /// counts). Multiply an estimate by it to predict a peak this device would measure. <see langword="null"/> when
    /// no peak was measured (CUDA, or no memory budget and no measurement).
    /// </summary>
    public double? MeasuredToEstimatedMemory
    {
        get
        {
            double[] ratios = [.. Candidates
                .Where(c => c.PeakMemoryWasMeasured && c.Analysis.EstimatedInferencePeakBytes > 0)
                .Select(c => c.PeakMemoryBytes / (double)c.Analysis.EstimatedInferencePeakBytes)
                .Order()];
            return ratios.Length == 0 ? null
                : ratios.Length % 2 == 1 ? ratios[ratios.Length / 2]
                : (ratios[(ratios.Length / 2) - 1] + ratios[ratios.Length / 2]) / 2;
        }
    }

    /// <summary>The smallest network looked at: the cheapest there is when nothing fits.</summary>
    public FitCandidate Smallest => Candidates[0];

    /// <summary>
    /// Which TorchSharp form of each network was timed (<see cref="InferenceRuntime.Prepared"/> by default), or
    /// <see langword="null"/> when nothing was measured or another runtime was (ONNX Runtime: export the choice with
    /// <c>ExportOnnx</c> to run it as it was measured).
    /// </summary>
    public InferenceRuntime? MeasuredRuntime { get; internal set; }

    /// <summary>
    /// Builds the chosen network in the form that was timed: its <c>ForInference()</c> copy when prepared copies
    /// were measured, the network itself otherwise. Load weights into <see cref="Build"/>'s network first when the
    /// choice is to be trained or loaded; this is for running as measured.
    /// </summary>
    /// <returns>A new module the caller owns.</returns>
    /// <exception cref="InvalidOperationException">Nothing fits the budget.</exception>
    public nn.Module<Tensor, Tensor> BuildAsMeasured()
    {
        ConvNetwork network = Build();
        if (MeasuredRuntime != InferenceRuntime.Prepared)
        {
            return network;
        }

        using (network)
        {
            return network.ForInference();
        }
    }

    /// <summary>Builds the chosen network.</summary>
    /// <returns>A new module with torchvision's initialisation.</returns>
    /// <exception cref="InvalidOperationException">Nothing fits the budget.</exception>
    public ConvNetwork Build() => Chosen is { } chosen
        ? new ConvNetwork(chosen.Spec)
        : throw new InvalidOperationException($"No network fits the budget ({Budget}); see {nameof(Report)}.");

    /// <summary>A readable account of the choice and every measurement that justifies it.</summary>
    public string Report
    {
        get
        {
            var text = new StringBuilder();
            text.AppendLine(Invariant($"Device fit on {Device}: {Family} scaling, φ from {MinPhi} to {MaxPhi}"));
            text.AppendLine($"Budget: {Budget}");
            if (Chosen is { } chosen)
            {
                text.AppendLine(Invariant($"Chosen: φ = {chosen.Phi:0.0} → {chosen.Spec.Name}: {Describe(chosen)}"));
                if (chosen.Measurement is { IsPredicted: true } fromProfile)
                {
                    text.AppendLine(Invariant($"  predicted {fromProfile.LatencyMilliseconds:0.00} ms from the device profile (not measured); peak memory {Memory(chosen)}"));
                }
                else if (chosen.Measurement is { } measured)
                {
                    string predicted = chosen.PredictedLatencyMilliseconds is double p ? Invariant($", predicted {p:0.0} ms") : "";
                    text.AppendLine(Invariant($"  measured {measured.LatencyMilliseconds:0.0} ms (± {measured.LatencySpreadMilliseconds:0.0}){predicted}; peak memory {Memory(chosen)}"));
                }

                text.AppendLine(NextLarger is { } next
                    ? Invariant($"  φ = {next.Phi:0.0} breaks the budget: {string.Join("; ", next.Violations)}")
                    : Invariant($"  it is the largest φ searched ({MaxPhi})."));
            }
            else
            {
                FitCandidate smallest = Smallest;
                text.AppendLine(Invariant($"Nothing fits: even the smallest network searched, φ = {smallest.Phi:0.0} ({smallest.Spec.Name}: {Describe(smallest)}), breaks the budget: {string.Join("; ", smallest.Violations)}."));
            }

            if (MeasuredToEstimatedMemory is double ratio)
            {
                text.AppendLine(Invariant($"Peak memory measured at {ratio:0.00}× the spec's estimate (median over {Candidates.Count(c => c.PeakMemoryWasMeasured)} networks); multiply estimates by it for this device."));
            }

            if (Remeasurements > 0)
            {
                text.AppendLine(Invariant($"The boundary was decided after {Remeasurements} re-measurement{(Remeasurements == 1 ? "" : "s")} (the first φ over the budget and the φ below it, measured again together)."));
            }

            foreach (string warning in TrustWarnings)
            {
                text.AppendLine($"Warning: {warning}");
            }

            text.AppendLine("Candidates (φ, network, input, parameters, GMACs, latency, peak memory, fits):");
            foreach (FitCandidate candidate in Candidates)
            {
                string latency = candidate.Measurement switch
                {
                    { IsPredicted: true } m => Invariant($"{m.LatencyMilliseconds:0.00} ms predicted"),
                    { } m => Invariant($"{m.LatencyMilliseconds:0.0} ms ± {m.LatencySpreadMilliseconds:0.0}"),
                    null => "not measured",
                };
                string mark = candidate.Phi == Chosen?.Phi ? "  ← chosen" : "";
                text.AppendLine(Invariant($"  {candidate.Phi,5:0.0}  {candidate.Spec.Name,-34} {candidate.Spec.Resolution,4} px  {candidate.Analysis.Parameters,12:N0}  {candidate.Analysis.GigaMultiplyAccumulates,7:0.000}  {latency,-18} {Memory(candidate),-22} {(candidate.MeetsBudget ? "yes" : "no")}{mark}"));
            }

            return text.ToString();
        }
    }

    /// <inheritdoc />
    public override string ToString() => Chosen is { } chosen
        ? Invariant($"{Family}: φ = {chosen.Phi:0.0} ({chosen.Spec.Name}) fits {Budget}")
        : $"{Family}: nothing fits {Budget}";

    private static string Describe(FitCandidate candidate) =>
        Invariant($"{candidate.Spec.Resolution} px, {candidate.Analysis.Parameters:N0} parameters, {candidate.Analysis.GigaMultiplyAccumulates:0.000} GMACs");

    private static string Memory(FitCandidate candidate) => candidate.PeakMemoryWasMeasured
        ? Invariant($"{candidate.PeakMemoryBytes / 1048576.0:0.0} MiB (measured; estimate {candidate.Analysis.EstimatedInferencePeakBytes / 1048576.0:0.0})")
        : Invariant($"{candidate.PeakMemoryBytes / 1048576.0:0.0} MiB (estimated)");

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
