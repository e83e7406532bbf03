using System.Globalization;
using System.Text;
using EfficientNet.Sharp.IO;
using EfficientNet.Sharp.OnnxRuntime;
using EfficientNet.Sharp.Profiles;

namespace EfficientNet.Sharp.Benchmarks.DeviceFit;

/// <summary>
/// What a profile's channel rules rest on (docs/device-fit.md, "Channel alignment", "Blocked channels"): depthwise and
/// pointwise convolutions at 28 × 28 on every count from 64 to 96 channels, each timed by the profiler in three profiles
/// of the same kernels and the fastest kept. In int8, integer convolutions and float islands for contrast (the
/// remainders the ragged variant rests on); in float, plain convolutions (the blocks the blocked layout pads counts
/// up to). Writes a markdown table, a row per count.
/// </summary>
public static class ChannelAlignmentSweep
{
    private static readonly int[] Channels = [.. Enumerable.Range(64, 33)];

    /// <summary>Times the kernels and writes the table to <paramref name="path"/>.</summary>
    /// <param name="path">The markdown file (written whole or not at all).</param>
    /// <param name="threads">The intra-op threads, as a profile's.</param>
    /// <param name="int8">Whether to time int8 kernels (integer ones and float islands) or float ones.</param>
    public static void Run(string path, int threads, bool int8)
    {
        (string Name, Func<int, KernelShape> Shape)[] rows = int8
            ?
            [
                ("integer depthwise 3×3, C channels", c => new KernelShape(KernelKind.DepthwiseConvolution, c, c, 28, 3, 1, "")),
                ("integer pointwise, 64 → C", c => new KernelShape(KernelKind.PointwiseConvolution, 64, c, 28, 1, 1, "")),
                ("integer pointwise, C → 64", c => new KernelShape(KernelKind.PointwiseConvolution, c, 64, 28, 1, 1, "")),
                ("integer pointwise, C → C", c => new KernelShape(KernelKind.PointwiseConvolution, c, c, 28, 1, 1, "")),
                ("float-island depthwise 3×3, C channels", c => new KernelShape(KernelKind.DepthwiseConvolution, c, c, 28, 3, 1, KernelGrid.FloatIsland)),
                ("float-island pointwise, 64 → C", c => new KernelShape(KernelKind.PointwiseConvolution, 64, c, 28, 1, 1, KernelGrid.FloatIsland)),
            ]
            :
            [
                ("depthwise 3×3, C channels", c => new KernelShape(KernelKind.DepthwiseConvolution, c, c, 28, 3, 1, "")),
                ("pointwise, 64 → C", c => new KernelShape(KernelKind.PointwiseConvolution, 64, c, 28, 1, 1, "")),
                ("pointwise, C → 64", c => new KernelShape(KernelKind.PointwiseConvolution, c, 64, 28, 1, 1, "")),
                ("pointwise, C → C", c => new KernelShape(KernelKind.PointwiseConvolution, c, c, 28, 1, 1, "")),
            ];
        KernelShape[] shapes = [.. rows.SelectMany(row => Channels.Select(row.Shape)).Distinct()];
        (Dictionary<KernelShape, double> fastest, _) = KernelTimings.Fastest(new DeviceProfiler(threads) { Int8 = int8 }, shapes, rounds: 3);

        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"| C (µs at 28 × 28, {(int8 ? "int8" : "float32")}, {threads} thread{(threads == 1 ? "" : "s")}) | C mod 16 | {string.Join(" | ", rows.Select(row => row.Name))} |");
        text.AppendLine($"|---:|---:|{string.Concat(rows.Select(_ => "---:|"))}");
        foreach (int channels in Channels)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"| {channels} | {channels % 16} | {string.Join(" | ", rows.Select(row => (1000 * fastest[row.Shape(channels)]).ToString("0", CultureInfo.InvariantCulture)))} |");
        }

        AtomicFile.Write(path, stream => stream.Write(Encoding.UTF8.GetBytes(text.ToString())));
    }
}
