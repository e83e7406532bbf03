using System.Globalization;
using ScottPlot;

namespace EfficientNet.Sharp.Benchmarks;

/// <summary>Draws the per-block inference throughput of a BlockBenchmarks run from its CSV report.</summary>
public static class ThroughputChart
{
    public static void Save(string resultsFolder, string pngPath)
    {
        string csv = Directory.GetFiles(resultsFolder, "*BlockBenchmarks-report.csv").Single();
        string[] lines = File.ReadAllLines(csv);
        string[] header = Split(lines[0]);
        int method = Array.IndexOf(header, "Method");
        int blockCase = Array.IndexOf(header, "Case");
        int batch = Array.IndexOf(header, "Batch");
        int throughput = Array.IndexOf(header, "Images/s");
        var rows = lines.Skip(1).Select(Split)
            .Where(r => r[method] == "Inference" && r[throughput] != "-")
            .Select(r => (Case: r[blockCase], Batch: r[batch], Images: double.Parse(r[throughput], NumberStyles.Any, CultureInfo.InvariantCulture)))
            .ToList();
        string[] cases = [.. rows.Select(r => r.Case).Distinct()];

        var plot = new Plot();
        string[] batches = [.. rows.Select(r => r.Batch).Distinct()];
        for (int b = 0; b < batches.Length; b++)
        {
            var bars = cases.Select((c, i) => new Bar
            {
                Position = (i * (batches.Length + 1)) + b,
                Value = rows.First(r => r.Case == c && r.Batch == batches[b]).Images,
                FillColor = b == 0 ? Colors.C0 : Colors.C1,
            }).ToList();
            plot.Add.Bars(bars).LegendText = $"batch {batches[b]}";
        }

        plot.Axes.Bottom.SetTicks([.. cases.Select((_, i) => (double)(i * (batches.Length + 1)) + 0.5)], cases);
        plot.Axes.Bottom.TickLabelStyle.Rotation = 60;
        plot.Axes.Bottom.TickLabelStyle.Alignment = Alignment.MiddleLeft;
        plot.Axes.Left.Label.Text = "images per second";
        plot.Title("Block inference throughput (first block of each stage, 224-pixel input, 2 threads)");
        plot.ShowLegend(Alignment.UpperRight);
        plot.SavePng(pngPath, 1400, 800);
    }

    private static string[] Split(string line) => [.. line.Split(',').Select(field => field.Trim('"'))];
}
