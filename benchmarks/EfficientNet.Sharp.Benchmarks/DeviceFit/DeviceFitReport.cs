using System.Globalization;
using System.Text;
using EfficientNet.Sharp.IO;
using EfficientNet.Sharp.Profiles;
using EfficientNet.Sharp.Specs;
using ScottPlot;

namespace EfficientNet.Sharp.Benchmarks.DeviceFit;

/// <summary>
/// Compares a device profile's predictions with the held-out networks' measured times (one or more
/// <see cref="HeldOutNetworkBenchmarks"/> runs; with several, each network's fastest median is kept, as the profile keeps
/// each kernel's fastest window): a markdown table with the share within ±10 % and ±25 %, and a predicted-against-measured
/// plot on log axes with the ±10 % band.
/// </summary>
public static class DeviceFitReport
{
    public static void Write(string profilePath, string markdownPath, string plotPath, IReadOnlyList<string> resultFolders)
    {
        var predictor = new LatencyPredictor(DeviceProfile.Load(profilePath));
        Dictionary<string, double> measured = MeasuredMedians(resultFolders, predictor.Profile.Device.Threads);
        var rows = measured.Keys.Where(name => !HeldOutNetworks.Anchors.Contains(name)).Order(StringComparer.Ordinal)
            .Select(name =>
            {
                LatencyPrediction prediction = predictor.Predict(HeldOutNetworks.Spec(name));
                return new Row(name, prediction.Milliseconds, measured[name], prediction.Extrapolated.Count);
            })
            .ToList();

        if (rows.Count == 0)
        {
            throw new InvalidDataException($"{string.Join(", ", resultFolders.Select(folder => $"'{folder}'"))} hold no held-out network, only anchors or nothing: nothing to compare the predictions with.");
        }

        var anchors = HeldOutNetworks.Anchors.Where(measured.ContainsKey)
            .Select(name => new Row(name, predictor.Predict(HeldOutNetworks.Spec(name)).Milliseconds, measured[name], 0))
            .ToList();

        // How much slower each anchor ran in this check than while profiling, over all anchors and by family.
        (NetworkFamily Family, double Ratio)[] drifts = [.. anchors
            .Select(anchor => (Family: HeldOutNetworks.Spec(anchor.Network).Family, Ratio: anchor.Measured / Own(anchor, predictor.Profile)?.Milliseconds))
            .Where(anchor => anchor.Ratio is not null)
            .Select(anchor => (anchor.Family, anchor.Ratio!.Value))];
        double? drift = drifts.Length == 0 ? null : GeometricMean(drifts.Select(anchor => anchor.Ratio));
        Dictionary<NetworkFamily, double> familyDrift = drifts.GroupBy(anchor => anchor.Family).ToDictionary(group => group.Key, group => GeometricMean(group.Select(anchor => anchor.Ratio)));
        List<Row>? normalised = drift is double overall
            ? [.. rows.Select(row => row with { Predicted = row.Predicted * familyDrift.GetValueOrDefault(HeldOutNetworks.Spec(row.Network).Family, overall) })]
            : null;
        string markdown = Markdown(rows, anchors, predictor, drift, normalised);
        AtomicFile.Write(markdownPath, stream => stream.Write(Encoding.UTF8.GetBytes(markdown)));
        Plot(rows, plotPath);
        Console.WriteLine(Summary(rows));
        if (normalised is not null)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"anchors ran ×{drift:0.000} their profiled time; drift-normalised per family (a diagnostic): {Summary(normalised)}"));
        }
    }

    private static double GeometricMean(IEnumerable<double> values) => Math.Exp(values.Average(Math.Log));

    /// <summary>The profile's own timing of an anchor (one of its calibration networks), or null when it has none of that name.</summary>
    private static CalibrationNetwork? Own(Row anchor, DeviceProfile profile) =>
        profile.Calibration.FirstOrDefault(network => HeldOutNetworks.NameOf(network) == anchor.Network);

    private sealed record Row(string Network, double Predicted, double Measured, int Extrapolated)
    {
        public double Ratio => Predicted / Measured;
    }

    /// <summary>
    /// Each network's median in milliseconds; the smallest over the runs given. A report that records its thread count
    /// (HeldOutNetworkCheck's, since it took --threads) must have been measured with the profile's.
    /// </summary>
    /// <exception cref="InvalidDataException">A report's thread count is not the profile's.</exception>
    private static Dictionary<string, double> MeasuredMedians(IReadOnlyList<string> resultFolders, int profileThreads)
    {
        var medians = new Dictionary<string, double>();
        foreach (string folder in resultFolders)
        {
            // BenchmarkDotNet's (float or int8) or HeldOutNetworkCheck's: one run per folder.
            string[] reports = Directory.GetFiles(folder, "*HeldOut*Network*-report.csv");
            string csv = reports.Length == 1 ? reports[0]
                : throw new ArgumentException($"'{folder}' holds {reports.Length} held-out network reports (*HeldOut*Network*-report.csv); give one folder per run.", nameof(resultFolders));
            string[] lines = File.ReadAllLines(csv);
            string[] header = ThroughputChart.Split(lines[0]);
            int network = Array.IndexOf(header, "Network"), median = Array.IndexOf(header, "Median"), threads = Array.IndexOf(header, "Threads");
            foreach (string[] row in lines.Skip(1).Select(ThroughputChart.Split).Where(row => row[median] != "NA"))
            {
                if (threads >= 0 && row[threads] != profileThreads.ToString(CultureInfo.InvariantCulture))
                {
                    throw new InvalidDataException($"'{csv}' was measured with {row[threads]} threads and the profile with {profileThreads}: pair a check with a profile of its thread count.");
                }

                double milliseconds = Milliseconds(row[median]);
                medians[row[network]] = medians.TryGetValue(row[network], out double best) ? Math.Min(best, milliseconds) : milliseconds;
            }
        }

        return medians;
    }

    /// <summary>A BenchmarkDotNet time ("12.34 ms", "850.1 μs", "1,234.5 ms") in milliseconds.</summary>
    private static double Milliseconds(string value)
    {
        string[] parts = value.Trim().Split(' ');
        double number = double.Parse(parts[0], NumberStyles.Any, CultureInfo.InvariantCulture);
        return (parts.Length > 1 ? parts[1] : "ms") switch
        {
            "s" => number * 1000,
            "ms" => number,
            "μs" or "us" => number / 1000,
            "ns" => number / 1e6,
            string unit => throw new FormatException($"Unknown time unit '{unit}' in '{value}'."),
        };
    }

    private static string Summary(List<Row> rows)
    {
        double within10 = rows.Count(row => Math.Abs(row.Ratio - 1) <= 0.10) / (double)rows.Count;
        double within25 = rows.Count(row => Math.Abs(row.Ratio - 1) <= 0.25) / (double)rows.Count;
        double[] ratios = [.. rows.Select(row => row.Ratio).Order()];
        return string.Create(CultureInfo.InvariantCulture,
            $"{rows.Count} networks: {within10:P0} within ±10 %, {within25:P0} within ±25 %; predicted/measured median {ratios[ratios.Length / 2]:0.000}, range {ratios[0]:0.000}–{ratios[^1]:0.000}");
    }

    private static string Markdown(List<Row> rows, List<Row> anchors, LatencyPredictor predictor, double? drift, List<Row>? normalised)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"Profile: {predictor.Profile.Device} (device-wide kernel scale {predictor.KernelScale:0.000}{(predictor.RaggedFactor == 1 ? "" : ", ragged factor " + predictor.RaggedFactor.ToString("0.000", CultureInfo.InvariantCulture))}). {Summary(rows)}.");
        if (normalised is not null)
        {
            text.AppendLine();
            text.AppendLine(CultureInfo.InvariantCulture, $"The profile's calibration networks (anchors, below) ran {drift:0.000}× their profiled time in this check (geometric mean). With each prediction scaled by its family's anchors' ratio (a diagnostic of the predictor apart from the machine's drift, not the criterion): {Summary(normalised)}.");
        }

        text.AppendLine();
        text.AppendLine("| network | predicted ms | measured ms | predicted / measured | extrapolated kernels |");
        text.AppendLine("|---|---:|---:|---:|---:|");
        foreach (Row row in rows)
        {
            string flag = Math.Abs(row.Ratio - 1) <= 0.10 ? "" : Math.Abs(row.Ratio - 1) <= 0.25 ? " ⚠" : " ✗";
            text.AppendLine(CultureInfo.InvariantCulture, $"| {row.Network} | {row.Predicted:0.00} | {row.Measured:0.00} | {row.Ratio:0.000}{flag} | {row.Extrapolated} |");
        }

        text.AppendLine();
        text.AppendLine("Calibration networks of the profile, timed in this run (not counted above; the profile's own time in brackets):");
        text.AppendLine();
        foreach (Row anchor in anchors)
        {
            CalibrationNetwork? own = Own(anchor, predictor.Profile);
            // The anchors are an int8 profile's calibration networks; a float profile has one fewer (the ragged network).
            string profiled = own is null ? "not among this profile's" : string.Create(CultureInfo.InvariantCulture, $"{own.Milliseconds:0.00} ms when profiled");
            text.AppendLine(CultureInfo.InvariantCulture, $"- {anchor.Network}: measured {anchor.Measured:0.00} ms [{profiled}], predicted {anchor.Predicted:0.00} ms");
        }

        return text.ToString();
    }

    /// <summary>Predicted against measured on log axes (ScottPlot has none: the axes carry log10 values, labelled back in milliseconds).</summary>
    private static void Plot(List<Row> rows, string path)
    {
        var plot = new Plot();
        double low = Math.Log10(rows.Min(row => Math.Min(row.Predicted, row.Measured)) / 1.3);
        double high = Math.Log10(rows.Max(row => Math.Max(row.Predicted, row.Measured)) * 1.3);
        double[] diagonal = [low, high];
        var band = plot.Add.FillY(diagonal, [.. diagonal.Select(x => x + Math.Log10(0.9))], [.. diagonal.Select(x => x + Math.Log10(1.1))]);
        band.FillColor = Colors.Green.WithAlpha(0.15);
        band.LineWidth = 0;
        band.LegendText = "±10 %";
        var identity = plot.Add.Line(low, low, high, high);
        identity.LineColor = Colors.Green;
        identity.LinePattern = LinePattern.Dashed;

        // One colour per family: EfficientNet-Lite's variants together.
        foreach (IGrouping<string, Row> family in rows.GroupBy(row => row.Network.Split(' ')[0].StartsWith("efficientnet_lite", StringComparison.Ordinal) ? "efficientnet_lite0–4" : row.Network.Split(' ')[0]))
        {
            double[] measured = [.. family.Select(row => Math.Log10(row.Measured))], predicted = [.. family.Select(row => Math.Log10(row.Predicted))];
            var points = plot.Add.ScatterPoints(measured, predicted);
            points.LegendText = family.Key;
            points.MarkerSize = 8;
        }

        foreach (IAxis axis in new IAxis[] { plot.Axes.Bottom, plot.Axes.Left })
        {
            axis.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic
            {
                LabelFormatter = value => Math.Pow(10, value).ToString("0.#", CultureInfo.InvariantCulture),
                MinorTickGenerator = new ScottPlot.TickGenerators.LogMinorTickGenerator(),
                IntegerTicksOnly = true,
            };
        }

        plot.Axes.SetLimits(low, high, low, high);
        plot.Axes.Bottom.Label.Text = "measured latency (ms, ONNX Runtime, batch 1, median run)";
        plot.Axes.Left.Label.Text = "predicted latency (ms, from the device profile)";
        plot.Title($"Held-out networks: predicted against measured ({rows.Count} networks)");
        plot.ShowLegend(Alignment.UpperLeft);
        byte[] png = plot.GetImageBytes(900, 800, ImageFormat.Png);
        AtomicFile.Write(path, stream => stream.Write(png));
    }
}
