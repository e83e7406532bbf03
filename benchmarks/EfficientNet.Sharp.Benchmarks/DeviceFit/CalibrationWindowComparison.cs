using System.Globalization;
using System.Text;
using EfficientNet.Sharp.IO;
using EfficientNet.Sharp.OnnxRuntime;
using EfficientNet.Sharp.Profiles;

namespace EfficientNet.Sharp.Benchmarks.DeviceFit;

/// <summary>
/// How long a profile's calibration windows should be (docs/device-fit.md, "Blocked channels, interpolated by their
/// padded count"): the float calibration networks timed four ways in each cycle, each the fastest window's median,
/// every way over all networks before the next: in this process, six windows of <see cref="ShortWindowMilliseconds"/>
/// (the calibration windows before 0.4.0) and two of a second (<see cref="DeviceProfiler.MeasureNetwork"/>'s);
/// then each window in a process of its own (the benchmark program's <c>time-network</c>), two of a second and two of
/// <see cref="ShortWindowMilliseconds"/>. A check times networks in processes of their own, windows of a second.
/// Writes a CSV, a row per cycle and network.
/// </summary>
public static class CalibrationWindowComparison
{
    /// <summary>The window the calibration networks were timed in before 0.4.0, six times, the fastest kept.</summary>
    public const double ShortWindowMilliseconds = 150;

    /// <summary>Times the networks and writes the CSV to <paramref name="path"/>.</summary>
    /// <param name="path">The CSV (written whole or not at all).</param>
    /// <param name="cycles">Cycles of the four ways (≥ 1).</param>
    /// <param name="threads">The intra-op threads, as a profile's.</param>
    public static void Run(string path, int cycles, int threads)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(cycles);
        string[] networks = [.. KernelSuite.CalibrationDesign().Select(network => HeldOutNetworks.Name(network.Model, network.Width, network.Depth, network.Resolution))];
        var profiler = new DeviceProfiler(threads);
        (string Column, int Windows, Func<string, double> Time)[] ways =
        [
            ("in_process_150ms_fastest_of_6", 6, name => profiler.MeasureNetworkInWindow(HeldOutNetworks.Spec(name), ShortWindowMilliseconds).Milliseconds),
            ("in_process_1s_fastest_of_2", 2, name => profiler.MeasureNetwork(HeldOutNetworks.Spec(name)).Milliseconds),
            ("own_process_1s_fastest_of_2", 2, name => HeldOutNetworkCheck.TimeInOwnProcess(name, int8: false, threads)),
            ("own_process_150ms_fastest_of_2", 2, name => HeldOutNetworkCheck.TimeInOwnProcess(name, int8: false, threads, shortWindow: true)),
        ];

        var csv = new StringBuilder($"cycle,network,{string.Join(',', ways.Select(way => way.Column))}\n");
        for (int cycle = 0; cycle < cycles; cycle++)
        {
            var fastest = new double[networks.Length, ways.Length];
            for (int way = 0; way < ways.Length; way++)
            {
                for (int n = 0; n < networks.Length; n++)
                {
                    fastest[n, way] = Enumerable.Range(0, ways[way].Windows).Min(_ => ways[way].Time(networks[n]));
                }
            }

            for (int n = 0; n < networks.Length; n++)
            {
                csv.Append(CultureInfo.InvariantCulture, $"{cycle},{networks[n]},{string.Join(',', Enumerable.Range(0, ways.Length).Select(way => fastest[n, way].ToString("0.0000", CultureInfo.InvariantCulture)))}\n");
            }

            Console.Error.WriteLine($"cycle {cycle + 1} of {cycles} done");
        }

        AtomicFile.Write(path, stream => stream.Write(Encoding.UTF8.GetBytes(csv.ToString())));
    }
}
