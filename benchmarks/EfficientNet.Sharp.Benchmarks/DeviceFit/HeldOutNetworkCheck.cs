using System.Globalization;
using System.Text;
using EfficientNet.Sharp.IO;
using EfficientNet.Sharp.OnnxRuntime;

namespace EfficientNet.Sharp.Benchmarks.DeviceFit;

/// <summary>
/// A quicker check than <see cref="HeldOutNetworkBenchmarks"/>, for trying a change to the predictor: the anchors and
/// held-out networks timed by <see cref="DeviceProfiler.MeasureNetwork"/> in one process (no libtorch loaded) in
/// several rounds, alternately forward and backward so that a network's rounds lie far apart, each network's fastest
/// round kept, as the profile keeps each kernel's fastest window. Writes a report <see cref="DeviceFitReport"/> reads.
/// </summary>
public static class HeldOutNetworkCheck
{
    /// <summary>Times the anchors and one held-out set and writes <c>HeldOutNetworkCheck-report.csv</c> into the folder.</summary>
    /// <param name="folder">Where the report goes (created if missing).</param>
    /// <param name="rounds">Rounds (≥ 1); each network keeps its fastest.</param>
    /// <param name="int8">Whether to time the networks as int8 files, for an int8 profile.</param>
    /// <param name="seed">The set: <see cref="HeldOutNetworks.ValidationSeed"/> or <see cref="HeldOutNetworks.DevelopmentSeed"/>.</param>
    public static void Run(string folder, int rounds, bool int8, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rounds);
        string[] networks = [.. HeldOutNetworks.Anchors, .. HeldOutNetworks.Names(seed)];
        var profiler = new DeviceProfiler(BenchmarkConfig.Threads) { Int8 = int8 };
        var best = networks.ToDictionary(name => name, _ => double.MaxValue);
        for (int round = 0; round < rounds; round++)
        {
            foreach (string name in round % 2 == 0 ? networks : networks.Reverse())
            {
                best[name] = Math.Min(best[name], profiler.MeasureNetwork(HeldOutNetworks.Spec(name)).Milliseconds);
            }

            Console.Error.WriteLine($"round {round + 1} of {rounds} done");
        }

        Directory.CreateDirectory(folder);
        string csv = string.Join('\n', ["Network,Median", .. networks.Select(name => string.Create(CultureInfo.InvariantCulture, $"{name},{best[name]:0.0000} ms"))]) + "\n";
        AtomicFile.Write(Path.Combine(folder, "HeldOutNetworkCheck-report.csv"), stream => stream.Write(Encoding.UTF8.GetBytes(csv)));
    }
}
