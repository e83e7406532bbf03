using System.Globalization;
using System.Text;
using EfficientNet.Sharp.IO;
using EfficientNet.Sharp.OnnxRuntime;
using EfficientNet.Sharp.Profiles;

namespace EfficientNet.Sharp.Benchmarks.DeviceFit;

/// <summary>
/// How a profile's extrapolated kernels compare with the kernels themselves (docs/device-fit.md, "Outside the grid"):
/// every kernel the networks outside the design range (<see cref="HeldOutNetworks.Outside"/>) take outside the
/// profile's grid, predicted alone (the profile's calibration networks left out, so a prediction's kernels are their
/// times alone) and timed alone by the profiler, fastest of three profiles of those kernels. Writes a markdown table:
/// per kind, then every kernel.
/// </summary>
public static class OutsideKernels
{
    /// <summary>Times the kernels and writes the table.</summary>
    /// <param name="profilePath">The profile the predictions come from; its thread count and precision are the timings'.</param>
    /// <param name="path">The markdown file (written whole or not at all).</param>
    public static void Run(string profilePath, string path)
    {
        DeviceProfile profile = DeviceProfile.Load(profilePath);
        var alone = new LatencyPredictor(profile with { Calibration = [] });
        IReadOnlyList<string> networks = HeldOutNetworks.Outside();
        var predicted = new Dictionary<KernelShape, double>();
        foreach (string network in networks)
        {
            foreach (KernelPrediction kernel in alone.Predict(HeldOutNetworks.Spec(network)).Kernels.Where(kernel => kernel.Extrapolated))
            {
                predicted[kernel.Shape] = kernel.Milliseconds;
            }
        }

        KernelShape[] shapes = [.. predicted.Keys];
        (Dictionary<KernelShape, double> fastest, _) = KernelTimings.Fastest(new DeviceProfiler(profile.Device.Threads) { Int8 = profile.Device.IsInt8 }, shapes, rounds: 3);

        (KernelShape Shape, double Predicted, double Measured)[] rows = [.. shapes.Select(shape => (shape, predicted[shape], fastest[shape]))];
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"Kernels outside the grid of the {networks.Count} networks outside the design range, predicted alone from `{Path.GetFileName(profilePath)}` and timed alone ({profile.Device.Threads} thread{(profile.Device.Threads == 1 ? "" : "s")}, {profile.Device.Precision}, fastest of three).");
        text.AppendLine();
        text.AppendLine("| kind | kernels | predicted ÷ measured: median | 10th percentile | 90th percentile | within ±25 % | Σ predicted ÷ Σ measured |");
        text.AppendLine("|---|---:|---:|---:|---:|---:|---:|");
        foreach (IGrouping<string, (KernelShape Shape, double Predicted, double Measured)> kind in rows.GroupBy(row => row.Shape.Kind.ToString()).OrderBy(group => group.Key, StringComparer.Ordinal).Append(rows.GroupBy(_ => "all").Single()))
        {
            double[] ratios = [.. kind.Select(row => row.Predicted / row.Measured).Order()];
            text.AppendLine(CultureInfo.InvariantCulture, $"| {kind.Key} | {ratios.Length} | {Percentile(ratios, 0.5):0.00} | {Percentile(ratios, 0.1):0.00} | {Percentile(ratios, 0.9):0.00} | {ratios.Count(ratio => Math.Abs(ratio - 1) <= 0.25) * 100.0 / ratios.Length:0} % | {kind.Sum(row => row.Predicted) / kind.Sum(row => row.Measured):0.00} |");
        }

        text.AppendLine();
        text.AppendLine("| kernel | predicted µs | measured µs | predicted ÷ measured |");
        text.AppendLine("|---|---:|---:|---:|");
        foreach ((KernelShape shape, double predictedTime, double measured) in rows.OrderBy(row => row.Shape.Kind).ThenBy(row => row.Shape.Work))
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"| {shape} | {1000 * predictedTime:0.0} | {1000 * measured:0.0} | {predictedTime / measured:0.00} |");
        }

        AtomicFile.Write(path, stream => stream.Write(Encoding.UTF8.GetBytes(text.ToString())));
    }

    /// <summary>The value at a fraction of sorted values (nearest rank).</summary>
    private static double Percentile(double[] sorted, double fraction) => sorted[Math.Clamp((int)Math.Ceiling(fraction * sorted.Length) - 1, 0, sorted.Length - 1)];
}
