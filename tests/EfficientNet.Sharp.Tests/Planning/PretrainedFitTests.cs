using EfficientNet.Sharp.Planning;
using EfficientNet.Sharp.Weights;

namespace EfficientNet.Sharp.Tests.Planning;

/// <summary>
/// The pretrained recommendation with a deterministic cost model (20 ms per GMAC): which published checkpoint to
/// run. Published figures: B0 77.692% top-1 at 0.386 GMACs, B1 79.838% at 0.687, MobileNetV3-Large 75.274% at 0.217.
/// </summary>
public class PretrainedFitTests
{
    [Test]
    public void Recommends_TheMostAccurateCheckpointWithinTheLatency_WithItsNeighbours()
    {
        var model = DeterministicCostModel.ProportionalToMacs();
        PretrainedFitResult result = DeviceFit.Using(model).WithinLatency(TimeSpan.FromMilliseconds(10)).FitPretrained();

        Assert.Multiple(() =>
        {
            Assert.That(result.Choice!.Weights, Is.SameAs(EfficientNetWeights.B0_ImageNet1K_V1), result.Report);
            Assert.That(result.MoreAccurate!.Weights, Is.SameAs(EfficientNetWeights.B1_ImageNet1K_V2));
            Assert.That(result.MoreAccurate.Violations.Single(), Does.Contain("ms > 10"));
            Assert.That(result.LessAccurate!.Weights, Is.SameAs(MobileNetV3Weights.Large_ImageNet1K_V2));
            Assert.That(result.Candidates.Select(c => c.Top1Accuracy), Is.Ordered.Descending);
            Assert.That(result.Candidates.Select(c => c.Spec.Resolution), Does.Contain(600), "B7 runs at its own 600 px");
            Assert.That(result.Report, Does.Contain("Recommended: EfficientNet_B0.ImageNet1K_V1"));
        });
    }

    [Test]
    public void SpecLimits_RuleCheckpointsOutWithoutMeasuringThem()
    {
        var model = DeterministicCostModel.ProportionalToMacs();
        PretrainedFitResult result = DeviceFit.Using(model)
            .WithinParameters(5_000_000)
            .WithinLatency(TimeSpan.FromSeconds(1))
            .FitPretrained(WeightCatalog.All.Select(CheckpointCandidate.From));

        PretrainedCandidate b0 = result.Candidates.First(c => c.Weights == EfficientNetWeights.B0_ImageNet1K_V1);
        Assert.Multiple(() =>
        {
            Assert.That(b0.Fits, Is.False);
            Assert.That(b0.Measurement, Is.Null, "over the parameter limit: never built");
            Assert.That(model.Measured.Select(s => s.Name), Does.Not.Contain("efficientnet_b0"));
            Assert.That(result.Choice!.Weights, Is.SameAs(MobileNetV2Weights.ImageNet1K_V2), result.Report);
        });
    }

    [Test]
    public void NothingFits_SaysSoAndNamesTheSmallest()
    {
        PretrainedFitResult result = DeviceFit.FromSpecsOnly().WithinParameters(1_000_000).FitPretrained();

        Assert.That(result.Choice, Is.Null);
        Assert.That(result.MoreAccurate!.Weights, Is.SameAs(MobileNetV3Weights.Small_ImageNet1K_V1), "the least accurate is the one to look at");
        Assert.That(result.Report, Does.Contain("No published checkpoint meets the budget"));
    }

    [Test]
    public void ACandidateWithoutAPublishedAccuracy_IsRefusedByName()
    {
        var unranked = new CheckpointCandidate("mystery.tflite", EfficientNet.Sharp.Specs.NetworkPresets.MobileNetV2, double.NaN);
        ArgumentException? error = Assert.Throws<ArgumentException>(() => DeviceFit.FromSpecsOnly().WithinParameters(1_000_000).FitPretrained([unranked]));
        Assert.That(error!.ParamName, Is.EqualTo("candidates"));
        Assert.That(error.Message, Does.Contain("mystery.tflite"));
    }

    /// <summary>
    /// The plot's Pareto front by multiply-accumulates, from torchvision's published figures: MobileNetV2 (0.301 G,
    /// 72.15%) is beaten by MobileNetV3-Large (0.217 G, 75.27%), and B5–B7 by EfficientNetV2-S (8.37 G, 84.23%).
    /// </summary>
    [Test]
    public void ParetoFront_KeepsOnlyCheckpointsNoOtherBeatsOnBothCounts()
    {
        PretrainedFitResult all = DeviceFit.FromSpecsOnly().WithinParameters(1_000_000_000).FitPretrained();
        PretrainedCandidate[] front = EfficientNet.Sharp.Cli.Commands.PretrainedFitPlot.ParetoFront(all.Candidates, c => c.Analysis.GigaMultiplyAccumulates);
        string[] names = [.. front.Select(c => c.Spec.Name)];

        Assert.That(names, Is.EqualTo(new[]
        {
            "mobilenet_v3_small", "mobilenet_v3_large", "efficientnet_b0", "efficientnet_b1", "efficientnet_b2",
            "efficientnet_b3", "efficientnet_b4", "efficientnet_v2_s", "efficientnet_v2_m", "efficientnet_v2_l",
        }));
    }

    /// <summary>
    /// Measured alone, every network runs 30% slow (a busy window); B1 (13.7 ms at 20 ms per GMAC) then looks over
    /// a 14 ms budget. The deciding pair, B0 and B1, is measured again together at true speed, and B1 wins.
    /// </summary>
    [Test]
    public void TheDecidingPair_IsMeasuredAgainTogether()
    {
        var model = new SlowAloneCostModel();
        PretrainedFitResult result = DeviceFit.Using(model).WithinLatency(TimeSpan.FromMilliseconds(14)).FitPretrained();

        Assert.That(model.Pairs.Single(), Is.EqualTo(("efficientnet_b0", "efficientnet_b1")));
        Assert.That(result.Choice!.Weights, Is.SameAs(EfficientNetWeights.B1_ImageNet1K_V2), result.Report);
    }

    private sealed class SlowAloneCostModel : EfficientNet.Sharp.Devices.ICostModel
    {
        public List<(string, string)> Pairs { get; } = [];

        public string Description => "slow alone";

        public EfficientNet.Sharp.Devices.CostMeasurement Measure(EfficientNet.Sharp.Specs.NetworkSpec spec, int batchSize, CancellationToken cancellationToken) => Cost(spec, 1.3);

        public (EfficientNet.Sharp.Devices.CostMeasurement First, EfficientNet.Sharp.Devices.CostMeasurement Second) RemeasurePair(EfficientNet.Sharp.Specs.NetworkSpec first, EfficientNet.Sharp.Specs.NetworkSpec second, int batchSize, double? latencyBudgetMilliseconds, CancellationToken cancellationToken)
        {
            Pairs.Add((first.Name, second.Name));
            return (Cost(first, 1.0), Cost(second, 1.0));
        }

        private static EfficientNet.Sharp.Devices.CostMeasurement Cost(EfficientNet.Sharp.Specs.NetworkSpec spec, double slowdown) =>
            new(slowdown * EfficientNet.Sharp.Analysis.NetworkAnalyzer.Analyze(spec).MultiplyAccumulates / 5e7, 0, null);
    }
}
