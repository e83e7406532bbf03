using System.Diagnostics;
using EfficientNet.Sharp.Analysis;
using EfficientNet.Sharp.Devices;
using EfficientNet.Sharp.Planning;
using EfficientNet.Sharp.Specs;

namespace EfficientNet.Sharp.Tests.Planning;

/// <summary>
/// A fit says when its measurements cannot be trusted: wide spreads, latency falling as networks grow, other processes
/// busy on the machine; and how many re-measurements decided the boundary.
/// </summary>
public class MeasurementTrustTests
{
    [Test]
    public void QuietMeasurements_GiveNoWarning_AndCountTheRecheck()
    {
        FitResult fit = DeviceFit.Using(DeterministicCostModel.ProportionalToMacs()).WithinLatency(TimeSpan.FromMilliseconds(20)).Fit();

        Assert.That(fit.TrustWarnings, Is.Empty, fit.Report);
        Assert.That(fit.Remeasurements, Is.EqualTo(2), "the first φ over the budget and the φ below it, measured again together");
        Assert.That(fit.Report, Does.Contain("after 2 re-measurements"));
    }

    [Test]
    public void WideSpread_IsNamed()
    {
        var costs = new ShapedCostModel(a => (a.MultiplyAccumulates / 5e7, 0.2 * a.MultiplyAccumulates / 5e7));
        FitResult fit = DeviceFit.Using(costs).WithinLatency(TimeSpan.FromMilliseconds(20)).Fit();

        Assert.That(fit.TrustWarnings, Has.Some.Contain("20 % of its median"));
        Assert.That(fit.Report, Does.Contain("Warning: φ = 0.0 (efficientnet_b0) spread"));
    }

    [Test]
    public void LatencyFallingAsTheNetworkGrows_IsNamed()
    {
        // B1 (φ = 1, 0.687 GMACs) measured faster than B0 (0.386 GMACs): the machine sped up between them.
        var costs = new ShapedCostModel(a => (a.Spec.Name == "efficientnet_b1" ? 5 : a.MultiplyAccumulates / 5e7, 0));
        FitResult fit = DeviceFit.Using(costs).WithinLatency(TimeSpan.FromMilliseconds(20)).Fit();

        Assert.That(fit.TrustWarnings, Has.One.Contain("latency fell as the network grew").And.Contain("φ = 1.0").And.Contain("φ = 0.0"));
    }

    [Test]
    public void SmallInversions_WithinLayoutEffects_AreNotFlagged()
    {
        // 5 % faster despite more work: within what channel alignment and caches explain.
        var costs = new ShapedCostModel(a => (a.Spec.Name == "efficientnet_b1" ? 0.95 * NetworkAnalyzer.Analyze(NetworkPresets.EfficientNetB0).MultiplyAccumulates / 5e7 : a.MultiplyAccumulates / 5e7, 0));
        FitResult fit = DeviceFit.Using(costs).WithinLatency(TimeSpan.FromMilliseconds(20)).Fit();

        Assert.That(fit.TrustWarnings, Is.Empty, fit.Report);
    }

    [Test]
    public void SpeedChangeBetweenAMeasurementAndItsRecheck_IsNamed()
    {
        // Every network measured a second time runs 30 % slower: the machine slowed down during the fit.
        var seen = new HashSet<string>();
        var costs = new ShapedCostModel(a => (a.MultiplyAccumulates / 5e7 * (seen.Add(a.Spec.Name) ? 1 : 1.3), 0));
        FitResult fit = DeviceFit.Using(costs).WithinLatency(TimeSpan.FromMilliseconds(20)).Fit();

        Assert.That(fit.Remeasurements, Is.GreaterThan(0));
        Assert.That(fit.TrustWarnings, Has.One.Contain("the machine's speed changed by 30 %"));
    }

    [Test]
    public void OtherProcessesBusy_IsNamed_AndPredictionsAreNeverFlagged()
    {
        FitResult measured = DeviceFit.Using(DeterministicCostModel.ProportionalToMacs()).WithinLatency(TimeSpan.FromMilliseconds(20)).Fit();
        measured.OtherProcessCores = 1.3;
        var predictions = new ShapedCostModel(a => (a.MultiplyAccumulates / 5e7, 0.5 * a.MultiplyAccumulates / 5e7), predicted: true);
        FitResult predicted = DeviceFit.Using(predictions).WithinLatency(TimeSpan.FromMilliseconds(20)).Fit();
        predicted.OtherProcessCores = 1.3;

        Assert.That(measured.TrustWarnings, Has.One.Contain("1.30 CPU cores busy"));
        Assert.That(predicted.TrustWarnings, Is.Empty);
    }

    /// <summary>The load reading sees a real busy process: a shell spinning for 1.5 s keeps about one core busy.</summary>
    [Test]
    [Platform("Linux")]
    public void OtherProcessLoad_SeesABusyProcess()
    {
        OtherProcessLoad? before = OtherProcessLoad.Sample();
        using (Process spinner = Process.Start(new ProcessStartInfo("timeout", ["1.5", "sh", "-c", "while :; do :; done"]) { UseShellExecute = false })!)
        {
            spinner.WaitForExit();
        }

        double? cores = OtherProcessLoad.CoresBetween(before, OtherProcessLoad.Sample());
        TestContext.Out.WriteLine($"other processes: {cores:0.00} cores");

        Assert.That(before, Is.Not.Null);
        Assert.That(cores, Is.GreaterThan(0.5), "one shell spun through the whole window");
    }

    /// <summary>Costs shaped by the test: (latency, spread) from the analysis; optionally marked as predictions.</summary>
    private sealed class ShapedCostModel(Func<NetworkAnalysis, (double Latency, double Spread)> shape, bool predicted = false) : ICostModel
    {
        public string Description => "shaped";

        public CostMeasurement Measure(NetworkSpec spec, int batchSize, CancellationToken cancellationToken)
        {
            (double latency, double spread) = shape(NetworkAnalyzer.Analyze(spec, batchSize: batchSize));
            return new CostMeasurement { LatencyMilliseconds = latency, LatencySpreadMilliseconds = spread, PeakMemoryBytes = null, IsPredicted = predicted };
        }
    }
}
