using System.Diagnostics;
using System.Globalization;
using System.Text;
using EfficientNet.Sharp.IO;
using EfficientNet.Sharp.OnnxRuntime;
using EfficientNet.Sharp.Specs;

namespace EfficientNet.Sharp.Benchmarks.DeviceFit;

/// <summary>
/// A quicker check than <see cref="HeldOutNetworkBenchmarks"/>, for trying a change to the predictor: the anchors and
/// held-out networks timed by <see cref="DeviceProfiler.MeasureNetwork"/> in one process (no libtorch loaded) in
/// several rounds, alternately forward and backward so that a network's rounds lie far apart, each network's fastest
/// round kept, as the profile keeps each kernel's fastest window. Writes a report <see cref="DeviceFitReport"/> reads.
/// With <c>separateProcesses</c>, each timing runs in a process of its own (this program's <c>time-network</c>
/// command), as the issue's validation asks, and still in interleaved rounds, each network keeping its fastest.
/// </summary>
public static class HeldOutNetworkCheck
{
    /// <summary>Times the anchors and one held-out set and writes <c>HeldOutNetworkCheck-report.csv</c> into the folder.</summary>
    /// <param name="folder">Where the report goes (created if missing).</param>
    /// <param name="rounds">Rounds (≥ 1); each network keeps its fastest.</param>
    /// <param name="int8">Whether to time the networks as int8 files, for an int8 profile.</param>
    /// <param name="heldOut">The set: <see cref="HeldOutNetworks.Names"/> of the validation or development seed, or <see cref="HeldOutNetworks.Outside"/>.</param>
    /// <param name="separateProcesses">Whether each timing runs in a new process.</param>
    /// <param name="threads">ONNX Runtime's intra-op threads: the profile's count.</param>
    public static void Run(string folder, int rounds, bool int8, IReadOnlyList<string> heldOut, bool separateProcesses = false, int threads = BenchmarkConfig.Threads)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rounds);
        string[] networks = [.. HeldOutNetworks.Anchors, .. heldOut];
        // Each timing in its own process builds its own profiler there; this one serves timings in this process.
        DeviceProfiler? profiler = separateProcesses ? null : new DeviceProfiler(threads) { Int8 = int8 };
        var best = networks.ToDictionary(name => name, _ => double.MaxValue);
        for (int round = 0; round < rounds; round++)
        {
            foreach (string name in round % 2 == 0 ? networks : networks.Reverse())
            {
                double milliseconds = profiler is null ? TimeInOwnProcess(name, int8, threads) : profiler.MeasureNetwork(HeldOutNetworks.Spec(name)).Milliseconds;
                best[name] = Math.Min(best[name], milliseconds);
            }

            Console.Error.WriteLine($"round {round + 1} of {rounds} done");
        }

        Directory.CreateDirectory(folder);
        // The thread count goes with every row, so that a report refuses a profile of another count.
        string csv = string.Join('\n', ["Network,Median,Threads", .. networks.Select(name => string.Create(CultureInfo.InvariantCulture, $"{name},{best[name]:0.0000} ms,{threads}"))]) + "\n";
        AtomicFile.Write(Path.Combine(folder, "HeldOutNetworkCheck-report.csv"), stream => stream.Write(Encoding.UTF8.GetBytes(csv)));
    }

    /// <summary>The <c>time-network</c> command: times one held-out or anchor network here and prints its median in milliseconds.</summary>
    /// <param name="name">The network, as <see cref="HeldOutNetworks.Names"/> or <see cref="HeldOutNetworks.Anchors"/> give it.</param>
    /// <param name="int8">Whether to time it as an int8 file.</param>
    /// <param name="threads">ONNX Runtime's intra-op threads.</param>
    /// <param name="shortWindow">Whether to time it in one window of <see cref="CalibrationWindowComparison.ShortWindowMilliseconds"/> instead of a second.</param>
    public static void TimeOne(string name, bool int8, int threads = BenchmarkConfig.Threads, bool shortWindow = false)
    {
        var profiler = new DeviceProfiler(threads) { Int8 = int8 };
        NetworkTiming timing = shortWindow
            ? profiler.MeasureNetworkInWindow(HeldOutNetworks.Spec(name), CalibrationWindowComparison.ShortWindowMilliseconds)
            : profiler.MeasureNetwork(HeldOutNetworks.Spec(name));
        Console.WriteLine(timing.Milliseconds.ToString("R", CultureInfo.InvariantCulture));
    }

    /// <summary>
    /// The <c>time-sessions</c> command: times one held-out or anchor network in several ONNX Runtime sessions of this
    /// process, one after another, and prints each session's median in milliseconds on a line of its own. It shows
    /// whether a session's speed is decided when it starts (docs/device-fit.md, "Two threads on this machine").
    /// </summary>
    /// <param name="name">The network, as <see cref="HeldOutNetworks.Names"/> or <see cref="HeldOutNetworks.Anchors"/> give it.</param>
    /// <param name="sessions">How many sessions (≥ 1).</param>
    /// <param name="threads">ONNX Runtime's intra-op threads.</param>
    /// <param name="entries">Session config entries (<c>key=value</c>) each session gets, to try one setting against the two speeds.</param>
    public static void TimeSessions(string name, int sessions, int threads, IReadOnlyList<string> entries)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(sessions);
        (string Key, string Value)[] settings = [.. entries.Select(entry => entry.Split('=', 2) is [{ Length: > 0 } key, var value]
            ? (key, value)
            : throw new ArgumentException($"'{entry}' is not a session config entry: give key=value."))];
        var profiler = new DeviceProfiler(threads)
        {
            ConfigureSession = options =>
            {
                foreach ((string key, string value) in settings)
                {
                    options.AddSessionConfigEntry(key, value);
                }
            },
        };
        NetworkSpec spec = HeldOutNetworks.Spec(name);
        for (int session = 0; session < sessions; session++)
        {
            Console.WriteLine(profiler.MeasureNetwork(spec).Milliseconds.ToString("0.000", CultureInfo.InvariantCulture));
        }
    }

    /// <summary>How long one network's timing may take in its own process (the largest validation network takes seconds) before it is stopped.</summary>
    private static readonly TimeSpan ChildTimeout = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Runs <see cref="TimeOne"/> in a new process of this program and reads its answer. A child that fails (an
    /// <see cref="IOException"/> with its stderr) or hangs (a <see cref="TimeoutException"/>) names the network; the
    /// command exits 1 with that message.
    /// </summary>
    internal static double TimeInOwnProcess(string name, bool int8, int threads, bool shortWindow = false)
    {
        var start = new ProcessStartInfo(Environment.ProcessPath ?? throw new InvalidOperationException("This process has no path to start again."))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (string argument in (string[])["time-network", name, .. int8 ? ["--int8"] : Array.Empty<string>(), .. shortWindow ? ["--short-window"] : Array.Empty<string>(), "--threads", threads.ToString(CultureInfo.InvariantCulture)])
        {
            start.ArgumentList.Add(argument);
        }

        using Process child = Process.Start(start)!;
        Task<string> errors = child.StandardError.ReadToEndAsync();
        Task<string> output = child.StandardOutput.ReadToEndAsync();
        if (!child.WaitForExit(ChildTimeout))
        {
            child.Kill(entireProcessTree: true);
            throw new TimeoutException($"time-network {name} took more than {ChildTimeout.TotalMinutes} minutes and was stopped.");
        }

        child.WaitForExit();
        return child.ExitCode == 0 && double.TryParse(output.Result.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out double milliseconds)
            ? milliseconds
            : throw new IOException($"time-network {name} failed (exit {child.ExitCode}): {errors.Result.Trim()}");
    }
}
