using EfficientNet.Sharp.Analysis;
using EfficientNet.Sharp.Planning;
using EfficientNet.Sharp.Scaling;
using EfficientNet.Sharp.Specs;

namespace EfficientNet.Sharp.Tests.Planning;

public class DeviceFitTests
{
    /// <summary>The answer by brute force: the largest φ on the 0.1 grid whose cost meets the limit.</summary>
    private static double? Expected(Func<NetworkAnalysis, bool> meets, double min = -6, double max = 7, ScalingMode mode = ScalingMode.Compound)
    {
        ScalingFamily family = ScalingFamily.For(mode);
        double? best = null;
        for (int k = (int)Math.Round(min * 10); k <= (int)Math.Round(max * 10); k++)
        {
            NetworkSpec spec;
            try
            {
                spec = family.At(k / 10.0);
            }
            catch (ArgumentException)
            {
                continue;
            }

            if (meets(NetworkAnalyzer.Analyze(spec)))
            {
                best = k / 10.0;
            }
        }

        return best;
    }

    [TestCase(3.0)]
    [TestCase(7.72)]
    [TestCase(20.0)]
    [TestCase(150.0)]
    public void Latency_PicksTheExactBoundaryPhi(double budgetMilliseconds)
    {
        var costs = DeterministicCostModel.ProportionalToMacs();
        FitResult fit = DeviceFit.Using(costs).WithinLatency(TimeSpan.FromMilliseconds(budgetMilliseconds)).Fit();
        double? expected = Expected(a => a.MultiplyAccumulates / 5e7 <= budgetMilliseconds);

        Assert.That(fit.Fits, Is.True, fit.Report);
        Assert.That(fit.Chosen!.Phi, Is.EqualTo(expected), fit.Report);
        Assert.That(fit.Chosen.Measurement!.LatencyMilliseconds, Is.LessThanOrEqualTo(budgetMilliseconds));
        Assert.That(fit.NextLarger!.MeetsBudget, Is.False, "the φ above the choice must have been measured over budget");
        Assert.That(fit.NextLarger.Phi, Is.EqualTo(fit.Chosen.Phi + 0.1).Within(1e-9));
        // Only the pair that decides the answer (the choice and the neighbour whose failure decides it) is measured twice.
        Assert.That(costs.Measured.Except([fit.NextLarger.Spec, fit.Chosen.Spec]), Is.Unique);
        Assert.That(costs.Measured.Count(s => s == fit.NextLarger.Spec), Is.EqualTo(2));
        Assert.That(costs.Measured.Count(s => s == fit.Chosen.Spec), Is.EqualTo(2));
        Assert.That(costs.Measured, Has.Count.LessThanOrEqualTo(16), "coarse steps, a fitted curve and a short walk");
        TestContext.Out.WriteLine($"{costs.Measured.Count} measurements");
        TestContext.Out.WriteLine(fit.Report);
    }

    [Test]
    public void Latency_ReportsPredictedAndMeasuredCost()
    {
        FitResult fit = DeviceFit.Using(DeterministicCostModel.ProportionalToMacs()).WithinLatency(TimeSpan.FromMilliseconds(20)).Fit();

        Assert.That(fit.LatencyCurve, Is.Not.Null);
        Assert.That(fit.Chosen!.PredictedLatencyMilliseconds, Is.EqualTo(fit.Chosen.Measurement!.LatencyMilliseconds).Within(25).Percent);
        Assert.That(fit.Report, Does.Contain("predicted").And.Contain("← chosen").And.Contain("breaks the budget"));
    }

    [Test]
    public void NothingFits_SaysSoWithTheSmallestCost()
    {
        var costs = DeterministicCostModel.ProportionalToMacs();
        FitResult fit = DeviceFit.Using(costs).WithinLatency(TimeSpan.FromMilliseconds(0.01)).Fit();

        Assert.That(fit.Fits, Is.False);
        Assert.That(fit.Chosen, Is.Null);
        Assert.That(fit.Smallest.Phi, Is.EqualTo(-6));
        Assert.That(fit.Smallest.Measurement!.LatencyMilliseconds, Is.GreaterThan(0.01));
        Assert.That(fit.Report, Does.Contain("Nothing fits").And.Contain("φ = -6.0"));
        Assert.That(() => fit.Build(), Throws.InvalidOperationException);
    }

    [Test]
    public void GenerousBudget_ChoosesTheTopOfTheRange()
    {
        FitResult fit = DeviceFit.Using(DeterministicCostModel.ProportionalToMacs()).WithinLatency(TimeSpan.FromSeconds(100)).SearchingPhi(-1, 2.5).Fit();

        Assert.That(fit.Chosen!.Phi, Is.EqualTo(2.5));
        Assert.That(fit.NextLarger, Is.Null);
        Assert.That(fit.Report, Does.Contain("largest φ searched"));
    }

    [Test]
    public void Parameters_AreDecidedFromTheSpecWithoutMeasuring()
    {
        FitResult fit = DeviceFit.FromSpecsOnly().WithinParameters(10_000_000).Fit();

        Assert.That(fit.Chosen!.Phi, Is.EqualTo(Expected(a => a.Parameters <= 10_000_000)));
        Assert.That(fit.Chosen.Analysis.Parameters, Is.LessThanOrEqualTo(10_000_000));
        Assert.That(fit.NextLarger!.Analysis.Parameters, Is.GreaterThan(10_000_000));
        Assert.That(fit.Chosen.WasMeasured, Is.False);
    }

    [Test]
    public void MultiplyAccumulates_AreDecidedFromTheSpec()
    {
        FitResult fit = DeviceFit.FromSpecsOnly().WithinMultiplyAccumulates(1_000_000_000).Fit();

        Assert.That(fit.Chosen!.Phi, Is.EqualTo(Expected(a => a.MultiplyAccumulates <= 1_000_000_000)));
    }

    [Test]
    public void Combination_MeetsEveryLimit()
    {
        // Latency alone would allow more than 8M parameters; the parameter limit binds.
        var costs = DeterministicCostModel.ProportionalToMacs();
        FitResult fit = DeviceFit.Using(costs).WithinLatency(TimeSpan.FromMilliseconds(60)).WithinParameters(8_000_000).Fit();
        double? expected = Expected(a => a.MultiplyAccumulates / 5e7 <= 60 && a.Parameters <= 8_000_000);

        Assert.That(Expected(a => a.MultiplyAccumulates / 5e7 <= 60), Is.GreaterThan(expected!.Value));
        Assert.That(fit.Chosen!.Phi, Is.EqualTo(expected));
        Assert.That(fit.NextLarger!.Violations, Has.Some.Contain("parameters"));
        Assert.That(costs.Measured.All(s => NetworkAnalyzer.Analyze(s).Parameters <= 8_000_000), Is.True, "nothing over the spec limits is measured");
    }

    [Test]
    public void PeakMemory_UsesTheSpecEstimateWhenTheDeviceCannotTell()
    {
        long limit = 40L << 20;
        FitResult fit = DeviceFit.Using(DeterministicCostModel.ProportionalToMacs(reportsMemory: false)).WithinPeakMemory(limit).Fit();

        Assert.That(fit.Chosen!.Phi, Is.EqualTo(Expected(a => a.EstimatedInferencePeakBytes <= limit)));
        Assert.That(fit.Chosen.PeakMemoryWasMeasured, Is.False);
        Assert.That(fit.NextLarger!.Violations, Has.Some.Contain("(estimated)"));
    }

    [Test]
    public void BatchSize_ReachesTheCostModel()
    {
        FitResult one = DeviceFit.Using(DeterministicCostModel.ProportionalToMacs()).WithinLatency(TimeSpan.FromMilliseconds(40)).Fit();
        FitResult eight = DeviceFit.Using(DeterministicCostModel.ProportionalToMacs()).WithinLatency(TimeSpan.FromMilliseconds(40), batchSize: 8).Fit();

        Assert.That(eight.Chosen!.Phi, Is.EqualTo(Expected(a => 8 * a.MultiplyAccumulates / 5e7 <= 40)));
        Assert.That(eight.Chosen.Phi, Is.LessThan(one.Chosen!.Phi));
        Assert.That(eight.Budget.BatchSize, Is.EqualTo(8));
    }

    [Test]
    public void NonSmoothCost_StillEndsOnAConfirmedBoundary()
    {
        // A cost with a plateau and a jump, which no smooth curve predicts well.
        var costs = new DeterministicCostModel(a => a.Spec.Resolution < 260 ? 10 : 10 + (a.MultiplyAccumulates / 1e8));
        FitResult fit = DeviceFit.Using(costs).WithinLatency(TimeSpan.FromMilliseconds(15)).Fit();

        Assert.That(fit.Chosen!.Phi, Is.EqualTo(Expected(a => (a.Spec.Resolution < 260 ? 10 : 10 + (a.MultiplyAccumulates / 1e8)) <= 15)));
        Assert.That(fit.NextLarger!.MeetsBudget, Is.False);
    }

    [Test]
    public void TransientSlowdown_OfTheDecidingNeighbour_IsMeasuredAgain()
    {
        // The first measurement of the true answer comes out slow, as on a busy machine; the second is true.
        double expected = Expected(a => a.MultiplyAccumulates / 5e7 <= 20)!.Value;
        int slowMeasurements = 0;
        var costs = new DeterministicCostModel(a =>
            Math.Abs(a.Spec.Scaling!.Phi!.Value - expected) < 1e-9 && slowMeasurements++ == 0 ? 1000 : a.MultiplyAccumulates / 5e7);

        FitResult fit = DeviceFit.Using(costs).WithinLatency(TimeSpan.FromMilliseconds(20)).Fit();

        // Slow once, then again as half of each deciding pair it belongs to.
        Assert.That(slowMeasurements, Is.GreaterThanOrEqualTo(2), "the answer was measured slow once, then measured again");
        Assert.That(fit.Chosen!.Phi, Is.EqualTo(expected), fit.Report);
    }

    [Test]
    public void CompareModes_GivesTheBestNetworkOfEachMode()
    {
        var costs = DeterministicCostModel.ProportionalToMacs();
        IReadOnlyList<FitResult> results = DeviceFit.Using(costs).WithinLatency(TimeSpan.FromMilliseconds(20)).CompareModes();

        Assert.That(results.Select(r => r.Family), Is.EqualTo(new[] { "compound", "width", "depth", "resolution" }));
        foreach (FitResult result in results)
        {
            ScalingMode mode = ScalingModeNames.Parse(result.Family)!.Value;
            Assert.That(result.Chosen!.Phi, Is.EqualTo(Expected(a => a.MultiplyAccumulates / 5e7 <= 20, mode: mode)), result.Family);
        }

        Assert.That(results[1].Chosen!.Spec.Stages.Select(s => s.Repeats), Is.EqualTo(NetworkPresets.EfficientNetB0.Stages.Select(s => s.Repeats)), "width-only keeps B0's depth");
        Assert.That(results[2].Chosen!.Spec.Resolution, Is.EqualTo(224), "depth-only keeps B0's resolution");
        Assert.That(results[3].Chosen!.Spec.Stages, Is.EqualTo(NetworkPresets.EfficientNetB0.Stages), "resolution-only keeps B0's channels and depth");
    }

    [Test]
    public void FixedResolution_MeasuresEveryCandidateAtIt()
    {
        var costs = DeterministicCostModel.ProportionalToMacs();
        FitResult fit = DeviceFit.Using(costs).AtResolution(96).WithinLatency(TimeSpan.FromMilliseconds(5)).Fit();

        Assert.That(costs.Measured.Select(s => s.Resolution), Is.All.EqualTo(96));
        Assert.That(fit.Chosen!.Spec.Resolution, Is.EqualTo(96));
        Assert.That(() => DeviceFit.Using(costs).AtResolution(96).Scaling(ScalingMode.ResolutionOnly).WithinLatency(TimeSpan.FromMilliseconds(5)).Fit(), Throws.ArgumentException);
    }

    [Test]
    public void Template_OptionsReachEveryCandidate()
    {
        var costs = DeterministicCostModel.ProportionalToMacs();
        FitResult fit = DeviceFit.Using(costs).From(new EfficientNetBuilder().WithNumClasses(10).WithInputChannels(1)).WithinLatency(TimeSpan.FromMilliseconds(10)).Fit();

        Assert.That(costs.Measured.Select(s => (s.Classifier.NumClasses, s.InputChannels)), Is.All.EqualTo((10, 1)));
        using var model = fit.Build();
        Assert.That(model.Spec, Is.EqualTo(fit.Chosen!.Spec));
    }

    [Test]
    public void Progress_IsReportedBeforeEachMeasurement()
    {
        var costs = DeterministicCostModel.ProportionalToMacs();
        var reports = new List<FitProgress>();
        DeviceFit.Using(costs).WithinLatency(TimeSpan.FromMilliseconds(10)).WithProgress(new SynchronousProgress<FitProgress>(reports.Add)).Fit();

        Assert.That(reports, Has.Count.EqualTo(costs.Measured.Count));
        Assert.That(reports.Select(r => r.NetworkName), Is.EqualTo(costs.Measured.Select(s => s.Name)));
        Assert.That(reports.Select(r => r.Phase), Does.Contain("coarse").And.Contain("boundary").And.Contain("recheck"));
    }

    [Test]
    public void Cancellation_StopsTheSearch()
    {
        using var cancellation = new CancellationTokenSource();
        cancellation.Cancel();

        Assert.That(() => DeviceFit.Using(DeterministicCostModel.ProportionalToMacs()).WithinLatency(TimeSpan.FromMilliseconds(10)).Fit(cancellation.Token), Throws.InstanceOf<OperationCanceledException>());
    }

    [Test]
    public void BadArguments_AreRejected()
    {
        DeviceFit fit = DeviceFit.FromSpecsOnly();

        Assert.That(() => fit.WithinLatency(TimeSpan.Zero), Throws.InstanceOf<ArgumentOutOfRangeException>().With.Property("ParamName").EqualTo("latency"));
        Assert.That(() => fit.WithinLatency(TimeSpan.FromMilliseconds(5), 0), Throws.InstanceOf<ArgumentOutOfRangeException>().With.Property("ParamName").EqualTo("batchSize"));
        Assert.That(() => fit.WithinParameters(0), Throws.InstanceOf<ArgumentOutOfRangeException>().With.Property("ParamName").EqualTo("maxParameters"));
        Assert.That(() => fit.SearchingPhi(3, 1), Throws.InstanceOf<ArgumentOutOfRangeException>().With.Property("ParamName").EqualTo("max"));
        Assert.That(() => fit.SearchingPhi(double.NaN, 1), Throws.InstanceOf<ArgumentOutOfRangeException>().With.Property("ParamName").EqualTo("min"));
        Assert.That(() => fit.AtResolution(16), Throws.InstanceOf<ArgumentOutOfRangeException>().With.Property("ParamName").EqualTo("pixels"));
        Assert.That(() => fit.Fit(), Throws.InvalidOperationException.With.Message.Contain("at least one limit"));
        Assert.That(() => fit.WithinLatency(TimeSpan.FromMilliseconds(5)).Fit(), Throws.InvalidOperationException.With.Message.Contain("measured"));
        Assert.That(() => fit.WithinParameters(1000).SearchingPhi(-40, -30).Fit(), Throws.ArgumentException.With.Message.Contain("No φ"));
    }

    /// <summary>
    /// A machine that slows down for one window: measured alone, the neighbour above the true boundary looked over
    /// the budget. The recheck measures the deciding pair together, in one (fast) window, and the answer moves up.
    /// </summary>
    [Test]
    public void Recheck_MeasuresTheDecidingPairTogether_AndAFairWindowDecides()
    {
        var costs = new SlowFirstWindowCostModel();
        FitResult fit = DeviceFit.Using(costs).WithinLatency(TimeSpan.FromMilliseconds(7.72)).Fit();
        double? expected = Expected(a => a.MultiplyAccumulates / 5e7 <= 7.72);

        Assert.That(costs.Pairs, Is.Not.Empty, "the deciding pair was measured together");
        Assert.That(fit.Chosen!.Phi, Is.EqualTo(expected), fit.Report);
    }

    /// <summary>20 ms per GMAC; each network's first window alone runs 30% slow, a paired remeasurement runs at true speed.</summary>
    private sealed class SlowFirstWindowCostModel : EfficientNet.Sharp.Devices.ICostModel
    {
        public List<(NetworkSpec, NetworkSpec)> Pairs { get; } = [];

        public string Description => "slow first window";

        public EfficientNet.Sharp.Devices.CostMeasurement Measure(NetworkSpec spec, int batchSize, CancellationToken cancellationToken) => Cost(spec, 1.3);

        public EfficientNet.Sharp.Devices.CostMeasurement Remeasure(NetworkSpec spec, int batchSize, CancellationToken cancellationToken) => Cost(spec, 1.3);

        public (EfficientNet.Sharp.Devices.CostMeasurement First, EfficientNet.Sharp.Devices.CostMeasurement Second) RemeasurePair(NetworkSpec first, NetworkSpec second, int batchSize, double? latencyBudgetMilliseconds, CancellationToken cancellationToken)
        {
            Pairs.Add((first, second));
            return (Cost(first, 1.0), Cost(second, 1.0));
        }

        private static EfficientNet.Sharp.Devices.CostMeasurement Cost(NetworkSpec spec, double slowdown) =>
            new(slowdown * NetworkAnalyzer.Analyze(spec).MultiplyAccumulates / 5e7, 0, null);
    }

    [Test]
    public void MeasuredPeakMemory_IsComparedWithTheEstimate_AndBothAreReported()
    {
        FitResult fit = DeviceFit.Using(new DoubledMemoryCostModel()).WithinPeakMemory(60L << 20).Fit();

        Assert.That(fit.MeasuredToEstimatedMemory, Is.EqualTo(2.0).Within(0.01));
        Assert.That(fit.Report, Does.Contain("measured at 2.00× the spec's estimate"));
        Assert.That(fit.Report, Does.Contain("(measured; estimate "));
        Assert.That(DeviceFit.Using(DeterministicCostModel.ProportionalToMacs(reportsMemory: false)).WithinPeakMemory(60L << 20).Fit().MeasuredToEstimatedMemory, Is.Null, "nothing measured, no ratio");
    }

    /// <summary>Latency from the multiply-accumulates; measured peak memory twice the spec's estimate, as libtorch's workspaces make it.</summary>
    private sealed class DoubledMemoryCostModel : EfficientNet.Sharp.Devices.ICostModel
    {
        public string Description => "doubled memory";

        public EfficientNet.Sharp.Devices.CostMeasurement Measure(NetworkSpec spec, int batchSize, CancellationToken cancellationToken)
        {
            NetworkAnalysis analysis = NetworkAnalyzer.Analyze(spec, batchSize: batchSize);
            return new(analysis.MultiplyAccumulates / 5e7, 0, 2 * analysis.EstimatedInferencePeakBytes);
        }
    }
}
