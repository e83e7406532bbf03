using EfficientNet.Sharp.OnnxRuntime;
using EfficientNet.Sharp.Profiles;

namespace EfficientNet.Sharp.Benchmarks.DeviceFit;

/// <summary>Kernels timed alone by the profiler in several profiles of them, each kernel's fastest kept: what the benchmarks compare.</summary>
internal static class KernelTimings
{
    /// <summary>Times the kernels in <paramref name="rounds"/> profiles of them, reporting each round on stderr.</summary>
    /// <param name="profiler">The profiler, with the threads and precision to time at.</param>
    /// <param name="shapes">The kernels, as asked (each is found under the variant the profile records it as).</param>
    /// <param name="rounds">Profiles to time them in (≥ 1).</param>
    /// <param name="beforeEachRound">Runs before each round (another timing to interleave with the kernels'), given its index.</param>
    /// <returns>Each kernel's fastest time and the last profile (its probed channel rules).</returns>
    public static (Dictionary<KernelShape, double> Fastest, DeviceProfile Last) Fastest(DeviceProfiler profiler, IReadOnlyList<KernelShape> shapes, int rounds, Action<int>? beforeEachRound = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rounds);
        var fastest = new Dictionary<KernelShape, double>();
        DeviceProfile? last = null;
        for (int round = 0; round < rounds; round++)
        {
            beforeEachRound?.Invoke(round);
            last = profiler.MeasureKernels(shapes, null, CancellationToken.None);
            foreach ((KernelShape shape, double time) in DeviceProfiler.TimesAsAsked(last, shapes))
            {
                fastest[shape] = Math.Min(fastest.GetValueOrDefault(shape, double.MaxValue), time);
            }

            Console.Error.WriteLine($"round {round + 1} of {rounds} done");
        }

        return (fastest, last!);
    }
}
