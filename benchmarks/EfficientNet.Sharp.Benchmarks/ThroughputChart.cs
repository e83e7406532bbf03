using System.Globalization;
using ScottPlot;

namespace EfficientNet.Sharp.Benchmarks;

/// <summary>
/// Draws each block's inference throughput from a BlockBenchmarks run's CSV report: images per second, or
/// the multiply-accumulate rate (GMAC/s), which shows how much of the CPU's arithmetic a block turns into
/// useful work whatever its size.
/// </summary>
public static class ThroughputChart
{
    public const string ImagesPerSecond = "Images/s";
    public const string MultiplyAccumulateRate = "GMAC/s";

    public static void Save(string resultsFolder, string pngPath, string column = ImagesPerSecond)
    {
        string csv = Directory.GetFiles(resultsFolder, "*BlockBenchmarks-report.csv").Single();
        string[] lines = File.ReadAllLines(csv);
        string[] header = Split(lines[0]);
        int method = Array.IndexOf(header, "Method");
        int blockCase = Array.IndexOf(header, "Case");
        int batch = Array.IndexOf(header, "Batch");
        int rate = Array.IndexOf(header, column);
        var rows = lines.Skip(1).Select(Split)
            .Where(r => r[method] == "Inference" && r[rate] != "-")
            .Select(r => (Case: r[blockCase], Batch: r[batch], Rate: double.Parse(r[rate], NumberStyles.Any, CultureInfo.InvariantCulture)))
            .ToList();
        string[] cases = [.. rows.Select(r => r.Case).Distinct()];

        var plot = new Plot();
        string[] batches = [.. rows.Select(r => r.Batch).Distinct()];
        for (int b = 0; b < batches.Length; b++)
        {
            var bars = cases.Select((c, i) => new Bar
            {
                Position = (i * (batches.Length + 1)) + b,
                Value = rows.First(r => r.Case == c && r.Batch == batches[b]).Rate,
                FillColor = b == 0 ? Colors.C0 : Colors.C1,
            }).ToList();
            plot.Add.Bars(bars).LegendText = $"batch {batches[b]}";
        }

        // "B0-noSE s2 MBConv 16→24 @112" is labelled "B0-noSE s2": network and stage.
        string[] labels = [.. cases.Select(c => string.Join(' ', c.Split(' ').Take(2)))];
        plot.Axes.Bottom.SetTicks([.. cases.Select((_, i) => (double)(i * (batches.Length + 1)) + 0.5)], labels);
        plot.Axes.Bottom.TickLabelStyle.Rotation = 90;
        plot.Axes.Bottom.TickLabelStyle.Alignment = Alignment.MiddleLeft;
        plot.Axes.Margins(bottom: 0);
        plot.Axes.Bottom.MinimumSize = 110; // room for the rotated labels, which ScottPlot does not measure
        plot.Axes.Left.Label.Text = column == MultiplyAccumulateRate ? "GMAC/s (inference, eager)" : "images per second (inference, eager)";
        plot.Title($"{(column == MultiplyAccumulateRate ? "Multiply-accumulate rate" : "Throughput")} of each stage's first block (224-pixel network input, 2 threads)");
        plot.ShowLegend(Alignment.UpperRight);
        plot.SavePng(pngPath, 1400, 800);
    }

    /// <summary>One CSV record: fields separated by commas, quoted when they hold one ("1,523.6").</summary>
    internal static string[] Split(string line)
    {
        var fields = new List<string>();
        var field = new System.Text.StringBuilder();
        bool quoted = false;
        foreach (char c in line)
        {
            if (c == '"')
            {
                quoted = !quoted;
            }
            else if (c == ',' && !quoted)
            {
                fields.Add(field.ToString());
                field.Clear();
            }
            else
            {
                field.Append(c);
            }
        }

        fields.Add(field.ToString());
        return [.. fields];
    }
}
