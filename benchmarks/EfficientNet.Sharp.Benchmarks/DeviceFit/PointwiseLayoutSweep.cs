using System.Globalization;
using System.Text;
using EfficientNet.Sharp.IO;
using EfficientNet.Sharp.OnnxRuntime;
using EfficientNet.Sharp.Profiles;

namespace EfficientNet.Sharp.Benchmarks.DeviceFit;

/// <summary>
/// What a float profile's plain-layout variant rests on (docs/device-fit.md, "Float pointwise convolutions in the plain
/// layout"): float pointwise convolutions on pairs of channel counts, one a multiple of the blocked layout's (run blocked)
/// and one just off it (run in the plain layout, as MobileNetV1's truncated widths are), at map sizes from 2 × 2 to
/// 28 × 28, each timed by the profiler in three profiles of the same kernels and the fastest kept. Writes a markdown
/// table, a row per pair and map size.
/// </summary>
public static class PointwiseLayoutSweep
{
    /// <summary>(blocked input, output) and (plain input, output): the second pairs are MobileNetV1's at widths 0.91 and 1.82.</summary>
    private static readonly ((int In, int Out) Blocked, (int In, int Out) Plain)[] Pairs =
    [
        ((96, 192), (100, 201)), ((224, 224), (231, 231)), ((464, 464), (465, 465)), ((928, 928), (931, 931)),
        ((928, 1856), (931, 1863)), ((1856, 1856), (1863, 1863)),
    ];

    private static readonly int[] Sizes = [2, 3, 4, 6, 7, 10, 14, 28];

    /// <summary>Times the kernels and writes the table to <paramref name="path"/>.</summary>
    /// <param name="path">The markdown file (written whole or not at all).</param>
    /// <param name="threads">The intra-op threads, as a profile's.</param>
    public static void Run(string path, int threads)
    {
        static KernelShape Pointwise((int In, int Out) channels, int size) => new(KernelKind.PointwiseConvolution, channels.In, channels.Out, size, 1, 1, "");
        KernelShape[] shapes = [.. Pairs.SelectMany(pair => Sizes.SelectMany(size => new[] { Pointwise(pair.Blocked, size), Pointwise(pair.Plain, size) }))];
        (Dictionary<KernelShape, double> fastest, DeviceProfile last) = KernelTimings.Fastest(new DeviceProfiler(threads), shapes, rounds: 3);

        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"Float pointwise convolutions, {threads} thread{(threads == 1 ? "" : "s")}, fastest of three profiles; blocked layout's channel multiple here: {last.BlockedLayoutChannelMultiple ?? 0}.");
        text.AppendLine();
        text.AppendLine("| blocked | plain | map | blocked µs | plain µs | plain ÷ blocked | work ratio |");
        text.AppendLine("|---|---|---:|---:|---:|---:|---:|");
        foreach (((int In, int Out) blocked, (int In, int Out) plain) in Pairs)
        {
            foreach (int size in Sizes)
            {
                double b = 1000 * fastest[Pointwise(blocked, size)], p = 1000 * fastest[Pointwise(plain, size)];
                double work = (double)plain.In * plain.Out / ((double)blocked.In * blocked.Out);
                text.AppendLine(CultureInfo.InvariantCulture, $"| {blocked.In}→{blocked.Out} | {plain.In}→{plain.Out} | {size} × {size} | {b:0.0} | {p:0.0} | {p / b:0.00} | {work:0.00} |");
            }
        }

        AtomicFile.Write(path, stream => stream.Write(Encoding.UTF8.GetBytes(text.ToString())));
    }
}
