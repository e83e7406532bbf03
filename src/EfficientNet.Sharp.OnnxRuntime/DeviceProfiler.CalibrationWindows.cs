using EfficientNet.Sharp.Models;
using EfficientNet.Sharp.Onnx.Protobuf;
using EfficientNet.Sharp.Profiles;

namespace EfficientNet.Sharp.OnnxRuntime;

public sealed partial class DeviceProfiler
{
    /// <summary>
    /// The windows each calibration network is timed in, the fastest kept: as many as the rounds a check of the profile's
    /// predictions times each network in (the benchmarks' <c>device-fit-check</c> takes this many by default), so that a
    /// network's profiled time and its checked time are the same statistic.
    /// </summary>
    internal const int CalibrationWindowCount = 4;

    /// <summary>
    /// The calibration networks, timed in <see cref="CalibrationWindowCount"/> windows spread over the whole profile (at
    /// its start, in the middle of each of the two full kernel passes, and at its end), the fastest window kept. Kernels
    /// keep their fastest window over the minutes a profile takes; networks timed only in its last seconds would catch one
    /// phase of a drifting machine, and the scale between the two (<see cref="LatencyPredictor.KernelScale"/>) would carry
    /// that phase into every prediction.
    /// </summary>
    /// <remarks>
    /// Each window times a network as <see cref="MeasureNetwork"/> does (the same budget). The scale carries any difference
    /// between the profiled and the checked statistic into every prediction: shorter windows (150 ms) and more of them
    /// (six), kept at their fastest, timed networks 2–6 % faster than the same networks timed for a second, and every
    /// check of a profile so timed ran slower than profiled (docs/device-fit.md, "Blocked channels, interpolated by their
    /// padded count").
    /// </remarks>
    private sealed class CalibrationWindows(DeviceProfiler profiler, IReadOnlyList<(string Model, double? Width, double? Depth, int Resolution)> networks)
    {
        private readonly ModelProto[] models = [.. networks.Select(network => profiler.Network(
            ModelRegistry.Get(network.Model).BuildSpec(new ModelOverrides { Width = network.Width, Depth = network.Depth, Resolution = network.Resolution })))];

        private readonly double[] best = [.. networks.Select(_ => double.MaxValue)];

        private int windowsDone;

        /// <summary>Timings in all windows together.</summary>
        public int Steps => CalibrationWindowCount * networks.Count;

        /// <summary>Times every network once.</summary>
        public void Window(DeviceProfiler.Steps steps, CancellationToken cancellationToken)
        {
            if (windowsDone++ >= CalibrationWindowCount)
            {
                throw new InvalidOperationException($"The calibration networks are timed in {CalibrationWindowCount} windows, not more.");
            }

            for (int i = 0; i < networks.Count; i++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                steps.Report($"calibration network {networks[i].Model} at {networks[i].Resolution} px");
                best[i] = Math.Min(best[i], profiler.Time(models[i], profiler.NetworkBudgetMilliseconds).Median);
            }
        }

        /// <summary>Each network's fastest window.</summary>
        public List<CalibrationNetwork> Result() => windowsDone == CalibrationWindowCount
            ? [.. networks.Select((network, i) => new CalibrationNetwork(network.Model, network.Width, network.Depth, network.Resolution, best[i]))]
            : throw new InvalidOperationException($"The calibration networks were timed in {windowsDone} windows, not {CalibrationWindowCount}.");
    }

    /// <summary>Timings done and planned, reported as they start.</summary>
    private sealed class Steps(IProgress<ProfilingProgress>? progress)
    {
        private int done;

        /// <summary>Timings planned besides those done (it grows when kernels need a third window).</summary>
        public int Remaining { get; set; }

        /// <summary>Reports the timing about to start and counts it done.</summary>
        public void Report(string step)
        {
            progress?.Report(new ProfilingProgress(done, done + Remaining, step));
            done++;
            Remaining--;
        }

        /// <summary>Reports that nothing is left.</summary>
        public void Finish() => progress?.Report(new ProfilingProgress(done, done, "done"));
    }
}
