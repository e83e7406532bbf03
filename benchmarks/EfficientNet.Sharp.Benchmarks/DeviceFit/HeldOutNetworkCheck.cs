using System.Globalization;
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
        File.WriteAllLines(Path.Combine(folder, "HeldOutNetworkCheck-report.csv"),
            ["Network,Median", .. networks.Select(name => string.Create(CultureInfo.InvariantCulture, $"{name},{best[name]:0.0000} ms"))]);
    }
}
