using EfficientNet.Sharp.Planning;
using ScottPlot;

namespace EfficientNet.Sharp.Cli.Commands;

/// <summary>
/// Published top-1 against cost for every checkpoint <c>fit --pretrained</c> considered: measured latency when the
/// budget was measured, else multiply-accumulates. It marks the ones within the budget, the Pareto front (no other
/// checkpoint is both cheaper and more accurate), the budget line and the choice.
/// </summary>
internal static class PretrainedFitPlot
{
    public static void Save(PretrainedFitResult result, string path)
    {
        // Costs span three decades (MobileNetV3-Small to EfficientNetV2-L), so the x axis is log10 of the cost.
        bool measured = result.Candidates.Any(c => c.Measurement is not null);
        double Cost(PretrainedCandidate c) => Math.Log10(measured ? c.Measurement?.LatencyMilliseconds ?? double.NaN : c.Analysis.GigaMultiplyAccumulates);
        PretrainedCandidate[] shown = [.. result.Candidates.Where(c => double.IsFinite(Cost(c)))];

        var plot = new Plot();
        AddPoints(plot, shown.Where(c => c.Fits), Cost, Colors.C0, MarkerShape.FilledCircle, "within the budget");
        AddPoints(plot, shown.Where(c => !c.Fits), Cost, Colors.C1, MarkerShape.Cross, "over the budget");
        foreach (PretrainedCandidate candidate in shown)
        {
            var label = plot.Add.Text(candidate.Spec.Name, Cost(candidate), candidate.Top1Accuracy);
            label.LabelFontSize = 10;
        }

        PretrainedCandidate[] front = ParetoFront(shown, Cost);
        if (front.Length > 1)
        {
            var line = plot.Add.ScatterLine(front.Select(Cost).ToArray(), front.Select(c => c.Top1Accuracy).ToArray());
            line.Color = Colors.Gray.WithAlpha(0.7);
            line.LinePattern = LinePattern.Dashed;
            line.LegendText = "Pareto front";
        }

        if (measured && result.Budget.LatencyMilliseconds is double budget)
        {
            var limit = plot.Add.VerticalLine(Math.Log10(budget), 2, Colors.Red, LinePattern.Dotted);
            limit.LegendText = $"budget {budget:0.#} ms";
        }

        if (result.Choice is { } choice)
        {
            var marker = plot.Add.Marker(Cost(choice), choice.Top1Accuracy, MarkerShape.OpenCircle, 18, Colors.C2);
            marker.LegendText = $"recommended: {choice.Name}";
        }

        plot.Title($"Published checkpoints on {result.Device} (batch {result.Budget.BatchSize})");
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic
        {
            MinorTickGenerator = new ScottPlot.TickGenerators.LogMinorTickGenerator(),
            IntegerTicksOnly = true,
            LabelFormatter = power => Math.Pow(10, power).ToString("G4", System.Globalization.CultureInfo.InvariantCulture),
        };
        plot.XLabel(measured ? "latency per call (ms, median; log scale)" : "G multiply-accumulates per image (log scale)");
        plot.YLabel("published ImageNet top-1 (%)");
        plot.ShowLegend(Edge.Right);
        PlotFile.SavePng(plot, path, 1100, 620);
    }

    /// <summary>The checkpoints no other beats on both counts, cheapest first.</summary>
    internal static PretrainedCandidate[] ParetoFront(IEnumerable<PretrainedCandidate> candidates, Func<PretrainedCandidate, double> cost)
    {
        var front = new List<PretrainedCandidate>();
        foreach (PretrainedCandidate candidate in candidates.OrderBy(cost).ThenByDescending(c => c.Top1Accuracy))
        {
            if (front.Count == 0 || candidate.Top1Accuracy > front[^1].Top1Accuracy)
            {
                front.Add(candidate);
            }
        }

        return [.. front];
    }

    private static void AddPoints(Plot plot, IEnumerable<PretrainedCandidate> candidates, Func<PretrainedCandidate, double> cost, Color color, MarkerShape shape, string legend)
    {
        PretrainedCandidate[] selected = [.. candidates];
        if (selected.Length == 0)
        {
            return;
        }

        var points = plot.Add.ScatterPoints(selected.Select(cost).ToArray(), selected.Select(c => c.Top1Accuracy).ToArray());
        points.Color = color;
        points.MarkerShape = shape;
        points.MarkerSize = 8;
        points.LegendText = legend;
    }
}
