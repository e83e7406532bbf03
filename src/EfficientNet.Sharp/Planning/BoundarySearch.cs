using EfficientNet.Sharp.Analysis;
using EfficientNet.Sharp.Devices;
using EfficientNet.Sharp.Specs;

namespace EfficientNet.Sharp.Planning;

/// <summary>
/// Finds the largest φ on a 0.1 grid whose cost meets a budget. Parameter and multiply-accumulate
/// limits are decided from the spec. Measured limits (latency, memory) are found in three steps:
/// measure in steps of 1 from φ = 0 until the budget is bracketed, fit a cost curve to those
/// measurements and predict the boundary, then measure in steps of 0.1 from the prediction until a
/// φ that meets the budget sits next to one that does not (that neighbour is measured twice).
/// </summary>
internal sealed class BoundarySearch
{
    private const int CoarseStep = 10;
    private readonly ScalingFamily family;
    private readonly FitBudget budget;
    private readonly ICostModel? costModel;
    private readonly IProgress<FitProgress>? progress;
    private readonly CancellationToken cancellationToken;
    private readonly double minPhi;
    private readonly double maxPhi;
    private readonly int firstIndex;
    private readonly int lastIndex;
    private readonly Dictionary<int, Candidate?> candidates = [];
    private CostCurve? curve;
    private readonly List<RepeatedMeasurement> repeats = [];

    public BoundarySearch(ScalingFamily family, FitBudget budget, ICostModel? costModel, double minPhi, double maxPhi, IProgress<FitProgress>? progress, CancellationToken cancellationToken)
    {
        this.family = family;
        this.budget = budget;
        this.costModel = costModel;
        this.progress = progress;
        this.cancellationToken = cancellationToken;
        this.minPhi = minPhi;
        this.maxPhi = maxPhi;
        firstIndex = (int)Math.Ceiling((minPhi * 10) - 1e-9);
        lastIndex = (int)Math.Floor((maxPhi * 10) + 1e-9);
    }

    public FitResult Run(string deviceDescription)
    {
        int low = Enumerable.Range(firstIndex, lastIndex - firstIndex + 1).FirstOrDefault(i => Get(i) is not null, int.MinValue);
        if (low == int.MinValue)
        {
            throw new ArgumentException($"No φ in [{minPhi}, {maxPhi}] gives a valid network in the {family.Name} family.");
        }

        int? chosen = SearchStatic(low);
        if (chosen is int staticMax && budget.NeedsMeasurement)
        {
            if (costModel is null)
            {
                throw new InvalidOperationException("The budget limits latency or memory, which must be measured: create the fit with DeviceFit.OnThisMachine, OnCuda or Using(costModel).");
            }

            chosen = SearchMeasured(low, staticMax);
        }

        // Report what was measured, the choice, the φ just above it (whose failure confirms the
        // boundary) and, when nothing fits, the smallest network tried.
        Candidate? chosenCandidate = chosen is int c ? Get(c) : null;
        Candidate? nextLarger = chosen is int n && Get(n + 1) is { } next && (next.Measured || next.StaticViolations.Count > 0) ? next : null;
        var reported = new SortedDictionary<int, Candidate>(candidates.Values.OfType<Candidate>().Where(x => x.Measured).ToDictionary(x => x.Index));
        foreach (Candidate? extra in new[] { chosenCandidate, nextLarger, chosen is null ? Get(low) : null })
        {
            if (extra is not null)
            {
                reported[extra.Index] = extra;
            }
        }

        return new FitResult(
            family.Name,
            deviceDescription,
            budget,
            minPhi,
            maxPhi,
            chosenCandidate is null ? null : ToPublic(chosenCandidate),
            nextLarger is null ? null : ToPublic(nextLarger),
            [.. reported.Values.Select(ToPublic)],
            curve)
        {
            Repeats = repeats,
        };
    }

    /// <summary>The largest index meeting the limits decided from the spec (they never decrease with φ), or null.</summary>
    private int? SearchStatic(int low)
    {
        if (Get(low)!.StaticViolations.Count > 0)
        {
            return null;
        }

        int best = low;
        for (int i = low + 1; i <= lastIndex && Get(i) is { } candidate && candidate.StaticViolations.Count == 0; i++)
        {
            best = i;
        }

        if (best < lastIndex)
        {
            _ = Get(best + 1);
        }

        return best;
    }

    private int? SearchMeasured(int low, int high)
    {
        int start = Math.Clamp(0, low, high);
        int? meets = null;
        int? fails = null;
        if (Meets(start, "coarse"))
        {
            meets = start;
            for (int i = start + CoarseStep; i <= high; i += CoarseStep)
            {
                if (!Meets(i, "coarse"))
                {
                    fails = i;
                    break;
                }

                meets = i;
            }

            if (fails is null && meets != high)
            {
                if (Meets(high, "coarse"))
                {
                    return high;
                }

                fails = high;
            }
        }
        else
        {
            fails = start;
            for (int i = start - CoarseStep; i >= low; i -= CoarseStep)
            {
                if (Meets(i, "coarse"))
                {
                    meets = i;
                    break;
                }

                fails = i;
            }

            if (meets is null && fails != low)
            {
                if (!Meets(low, "coarse"))
                {
                    return null;
                }

                meets = low;
            }
        }

        if (meets is not int a)
        {
            return null;
        }

        if (fails is not int b)
        {
            return a;
        }

        curve = FitCurve();
        return Confirm(low, a, high, PredictBoundary(a, b));
    }

    /// <summary>
    /// Walks in steps of 0.1 from the predicted boundary until a fitting φ sits next to one that does
    /// not. The neighbour's failure decides the answer, so it is measured a second time first, together with the
    /// φ below it in one interleaved window: a passing slowdown of the machine must not cut the result short, nor
    /// favour one of the two. Returns null when that window shows even the smallest φ over the budget.
    /// </summary>
    private int? Confirm(int low, int meets, int high, int predicted)
    {
        int i = predicted;
        if (!Meets(i, "boundary"))
        {
            i = meets;
            for (int j = predicted - 1; j > meets; j--)
            {
                if (Meets(j, "boundary"))
                {
                    i = j;
                    break;
                }
            }
        }

        while (i + 1 <= high && (Meets(i + 1, "boundary") || Recheck(i + 1)))
        {
            i++;
        }

        // The interleaved recheck measured the chosen φ again too; should that window put it over the budget,
        // step down to a φ whose measurement meets it (or find that none does).
        while (!Meets(i, "boundary"))
        {
            if (i == low)
            {
                return null;
            }

            i--;
        }

        return i;
    }

    /// <summary>
    /// Measures a failing candidate once more (only once), when a measured limit is what it broke, together with
    /// the fitting candidate below it: interleaved in one window where the cost model can, so that the two
    /// measurements that decide the boundary saw the same machine.
    /// </summary>
    private bool Recheck(int index)
    {
        Candidate candidate = Get(index)!;
        if (candidate.Rechecked || candidate.StaticViolations.Count > 0)
        {
            return false;
        }

        candidate.Rechecked = true;
        if (Get(index - 1) is { Measured: true } below && below.StaticViolations.Count == 0)
        {
            ReportRecheck(below);
            ReportRecheck(candidate);
            (CostMeasurement? belowBefore, CostMeasurement? candidateBefore) = (below.Measurement, candidate.Measurement);
            (below.Measurement, candidate.Measurement) = costModel!.RemeasurePair(below.Spec, candidate.Spec, budget.BatchSize, budget.LatencyMilliseconds, cancellationToken);
            Repeated(below, belowBefore);
            Repeated(candidate, candidateBefore);
        }
        else
        {
            ReportRecheck(candidate);
            CostMeasurement? before = candidate.Measurement;
            candidate.Measurement = costModel!.Remeasure(candidate.Spec, budget.BatchSize, cancellationToken);
            Repeated(candidate, before);
        }

        return MeasuredViolations(candidate).Count == 0;
    }

    private void Repeated(Candidate candidate, CostMeasurement? before)
    {
        if (before is { IsPredicted: false } first && candidate.Measurement is { IsPredicted: false } again)
        {
            repeats.Add(new RepeatedMeasurement(candidate.Phi, candidate.Spec.Name, first.LatencyMilliseconds, again.LatencyMilliseconds));
        }
    }

    private void ReportRecheck(Candidate candidate) =>
        progress?.Report(new FitProgress(family.Name, candidate.Phi, candidate.Spec.Name, candidates.Values.Count(c => c?.Measured == true), "recheck"));

    /// <summary>The largest index in [meets, fails) whose predicted measured costs fit; meets when no curve helps.</summary>
    private int PredictBoundary(int meets, int fails)
    {
        if (curve is null || budget.LatencyMilliseconds is not double latency)
        {
            return meets;
        }

        int best = meets;
        for (int i = meets + 1; i < fails; i++)
        {
            if (Get(i) is not null && curve.Predict(Phi(i)) <= latency)
            {
                best = i;
            }
        }

        return best;
    }

    private CostCurve? FitCurve()
    {
        var points = candidates.Values.OfType<Candidate>()
            .Where(c => c.Measurement is { LatencyMilliseconds: > 0 })
            .Select(c => (c.Phi, c.Measurement!.LatencyMilliseconds))
            .ToList();
        return points.Count > 0 ? CostCurve.Fit(points) : null;
    }

    private bool Meets(int index, string phase)
    {
        Candidate candidate = Get(index) ?? throw new InvalidOperationException($"φ = {Phi(index)} gives no valid network.");
        if (!candidate.Measured)
        {
            progress?.Report(new FitProgress(family.Name, candidate.Phi, candidate.Spec.Name, candidates.Values.Count(c => c?.Measured == true), phase));
            candidate.Measurement = costModel!.Measure(candidate.Spec, budget.BatchSize, cancellationToken);
        }

        return candidate.StaticViolations.Count == 0 && MeasuredViolations(candidate).Count == 0;
    }

    private Candidate? Get(int index)
    {
        if (index < firstIndex || index > lastIndex)
        {
            return null;
        }

        if (!candidates.TryGetValue(index, out Candidate? candidate))
        {
            cancellationToken.ThrowIfCancellationRequested();
            candidate = TryCreate(index);
            candidates[index] = candidate;
        }

        return candidate;
    }

    private Candidate? TryCreate(int index)
    {
        double phi = Phi(index);
        NetworkSpec spec;
        try
        {
            spec = family.At(phi);
        }
        catch (ArgumentException)
        {
            return null;
        }

        NetworkAnalysis analysis = NetworkAnalyzer.Analyze(spec, batchSize: budget.BatchSize);
        List<string> violations = BudgetCheck.StaticViolations(budget, analysis);
        return new Candidate(index, phi, spec, analysis, violations);
    }

    private List<string> MeasuredViolations(Candidate candidate) =>
        BudgetCheck.MeasuredViolations(budget, candidate.Analysis, candidate.Measurement);

    private FitCandidate ToPublic(Candidate candidate) => new(
        candidate.Phi,
        candidate.Spec,
        candidate.Analysis,
        candidate.Measurement,
        curve?.Predict(candidate.Phi),
        [.. candidate.StaticViolations, .. MeasuredViolations(candidate)]);

    private static double Phi(int index) => index / 10.0;

    private sealed class Candidate(int index, double phi, NetworkSpec spec, NetworkAnalysis analysis, List<string> staticViolations)
    {
        public int Index { get; } = index;

        public double Phi { get; } = phi;

        public NetworkSpec Spec { get; } = spec;

        public NetworkAnalysis Analysis { get; } = analysis;

        public IReadOnlyList<string> StaticViolations { get; } = staticViolations;

        public CostMeasurement? Measurement { get; set; }

        public bool Rechecked { get; set; }

        public bool Measured => Measurement is not null;
    }
}
