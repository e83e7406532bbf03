using System.Globalization;
using System.Text;
using EfficientNet.Sharp.Analysis;
using EfficientNet.Sharp.IO;
using EfficientNet.Sharp.OnnxRuntime;
using EfficientNet.Sharp.Profiles;
using EfficientNet.Sharp.Specs;

namespace EfficientNet.Sharp.Benchmarks.DeviceFit;

/// <summary>
/// How a network's time compares with the sum of its kernels timed alone, in the same minutes (docs/device-fit.md,
/// "Outside the grid": networks on small maps ran slower than their kernels' sum): networks at 51 px that separate
/// the kernel count from the weights (EfficientNet-B0 at two widths and three depths, MobileNetV2 and MobileNetV3-Large
/// narrow and wide), B0 at 0.7 and depth 2.14 at three resolutions, the widest networks of four families at 96 px (the
/// design range's corner of most weights on the least map), and three calibration networks for reference. Each network
/// is timed in a process of its own and its kernels by the profiler, both in two rounds, the fastest kept; with a
/// profile, each network's prediction from it too. Writes a markdown table, a row per network.
/// </summary>
public static class NetworkOverKernels
{
    private static readonly string[] Networks =
    [
        "efficientnet_b0 w0.70 d0.50 r51", "efficientnet_b0 w0.70 d1.00 r51", "efficientnet_b0 w0.70 d2.14 r51",
        "efficientnet_b0 w0.30 d1.00 r51", "efficientnet_b0 w0.30 d2.14 r51", "efficientnet_b0 w1.20 d0.60 r51",
        "efficientnet_b0 w1.20 d1.00 r51", "efficientnet_b0 w0.70 d2.14 r96", "efficientnet_b0 w0.70 d2.14 r160",
        "mobilenet_v2 w0.50 r51", "mobilenet_v2 w1.40 r51", "mobilenet_v3_large w0.50 r51", "mobilenet_v3_large w1.20 r51",
        "efficientnet_b0 w1.40 d2.00 r96", "mobilenet_v1 w1.40 r96", "mobilenet_v2 w1.40 r96", "mobilenet_v3_large w1.40 r96",
        "efficientnet_b0 r224", "efficientnet_b0 w0.50 d0.50 r128", "mobilenet_v3_large w1.00 r224",
    ];

    private const int Rounds = 2;

    /// <summary>Times the networks and their kernels and writes the table to <paramref name="path"/>.</summary>
    /// <param name="path">The markdown file (written whole or not at all).</param>
    /// <param name="threads">The intra-op threads.</param>
    /// <param name="profilePath">A profile of this machine at <paramref name="threads"/> to predict the networks from; null for none.</param>
    public static void Run(string path, int threads, string? profilePath)
    {
        LatencyPredictor? predictor = profilePath is null ? null : new LatencyPredictor(DeviceProfile.Load(profilePath));
        Dictionary<string, NetworkSpec> specs = Networks.ToDictionary(name => name, HeldOutNetworks.Spec);
        Dictionary<string, KernelShape[]> kernels = specs.ToDictionary(
            pair => pair.Key,
            pair => KernelWalk.Of(pair.Value, pair.Value.Resolution).Select(kernel => kernel.Shape).Where(shape => shape.Kind != KernelKind.RunOverhead).ToArray());
        KernelShape[] shapes = [.. kernels.Values.SelectMany(shape => shape).Distinct()];
        var network = new Dictionary<string, double>();
        (Dictionary<KernelShape, double> alone, _) = KernelTimings.Fastest(new DeviceProfiler(threads), shapes, Rounds, beforeEachRound: _ =>
        {
            foreach (string name in Networks)
            {
                network[name] = Math.Min(network.GetValueOrDefault(name, double.MaxValue), HeldOutNetworkCheck.TimeInOwnProcess(name, int8: false, threads));
            }
        });

        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"Networks against their kernels timed alone, {threads} thread{(threads == 1 ? "" : "s")}, float32, fastest of {Rounds} rounds each (networks each in a process of its own).");
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"| network | kernels | weights MB | network ms | Σ kernels alone ms | network ÷ Σ alone | network − Σ alone, µs per MB of weights |{(predictor is null ? "" : " predicted ÷ network |")}");
        text.AppendLine($"|---|---:|---:|---:|---:|---:|---:|{(predictor is null ? "" : "---:|")}");
        foreach (string name in Networks)
        {
            double sum = kernels[name].Sum(shape => alone[shape]);
            double megabytes = NetworkAnalyzer.Analyze(specs[name]).ParameterBytes / 1e6;
            double measured = network[name];
            string predicted = predictor is null ? "" : string.Create(CultureInfo.InvariantCulture, $" {predictor.Predict(specs[name]).Milliseconds / measured:0.00} |");
            text.AppendLine(CultureInfo.InvariantCulture, $"| {name} | {kernels[name].Length} | {megabytes:0.0} | {measured:0.000} | {sum:0.000} | {measured / sum:0.00} | {1000 * (measured - sum) / megabytes:0} |{predicted}");
        }

        AtomicFile.Write(path, stream => stream.Write(Encoding.UTF8.GetBytes(text.ToString())));
    }
}
