using EfficientNet.Sharp.Planning;
using ScottPlot;

namespace EfficientNet.Sharp.Cli.Commands;

/// <summary>Latency against φ: measurements, the fitted curve, the budget line and the choice.</summary>
internal static class FitPlot
{
    private static readonly Color[] Palette = [Colors.C0, Colors.C1, Colors.C2, Colors.C3];

    public static void Save(IReadOnlyList<FitResult> results, string path)
    {
        var plot = new Plot();
        for (int i = 0; i < results.Count; i++)
        {
            FitResult result = results[i];
            Color color = Palette[i % Palette.Length];
            FitCandidate[] measured = [.. result.Candidates.Where(c => c.Measurement is not null)];
            if (measured.Length == 0)
            {
                continue;
            }

            AddPoints(plot, measured.Where(c => c.MeetsBudget), color, MarkerShape.FilledCircle, $"{result.Family}: measured, fits");
            AddPoints(plot, measured.Where(c => !c.MeetsBudget), color, MarkerShape.Cross, $"{result.Family}: measured, over budget");

            if (result.HasLatencyCurve)
            {
                double low = measured.Min(c => c.Phi);
                double high = measured.Max(c => c.Phi);
                double[] xs = [.. Enumerable.Range(0, 101).Select(k => low + ((high - low) * k / 100.0))];
                var line = plot.Add.ScatterLine(xs, xs.Select(x => result.PredictLatencyMilliseconds(x)!.Value).ToArray());
                line.Color = color.WithAlpha(0.6);
                line.LinePattern = LinePattern.Dashed;
                line.LegendText = $"{result.Family}: fitted curve";
            }

            if (result.Chosen is { Measurement: { } chosen } choice)
            {
                var marker = plot.Add.Marker(choice.Phi, chosen.LatencyMilliseconds, MarkerShape.OpenCircle, 18, color);
                marker.LegendText = $"{result.Family}: chosen φ = {choice.Phi:0.0}";
            }
        }

        if (results.FirstOrDefault()?.Budget.LatencyMilliseconds is double budget)
        {
            var line = plot.Add.HorizontalLine(budget, 2, Colors.Red, LinePattern.Dotted);
            line.LegendText = $"budget {budget:0.#} ms";
        }

        FitResult first = results[0];
        plot.Title($"Latency against φ on {first.Device} (batch {first.Budget.BatchSize})");
        plot.XLabel("φ");
        plot.YLabel("latency per call (ms, median)");
        plot.ShowLegend(Edge.Right);
        PlotFile.SavePng(plot, path, 1100, 560);
    }

    private static void AddPoints(Plot plot, IEnumerable<FitCandidate> candidates, Color color, MarkerShape shape, string legend)
    {
        FitCandidate[] selected = [.. candidates];
        if (selected.Length == 0)
        {
            return;
        }

        var points = plot.Add.ScatterPoints(selected.Select(c => c.Phi).ToArray(), selected.Select(c => c.Measurement!.LatencyMilliseconds).ToArray());
        points.Color = color;
        points.MarkerShape = shape;
        points.MarkerSize = 8;
        points.LegendText = legend;
    }
}
