using System.Diagnostics;
using System.Text.Json;
using EfficientNet.Sharp.Models;
using EfficientNet.Sharp.Onnx;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using Tensor = TorchSharp.torch.Tensor;

namespace EfficientNet.Sharp.Benchmarks;

/// <summary>
/// Where <c>ForInference()</c> spends its time next to ONNX Runtime, block by block: each child of
/// <c>features</c> (and the pooling + classifier tail) is timed alone in TorchSharp, and ONNX Runtime's own
/// per-node profile of our export is summed by the same module paths (our exporter names every node after the
/// module it comes from, and ONNX Runtime's fused nodes keep the name of their first node). A diagnostic, not a
/// benchmark: the model-level ratio is measured by <see cref="OnnxRuntimeBenchmarks"/>.
/// </summary>
public static class BlockProfile
{
    /// <summary>Threads for both runtimes: <see cref="BenchmarkConfig.Threads"/> unless $PROFILE_THREADS says otherwise.</summary>
    private static readonly int Threads = int.TryParse(Environment.GetEnvironmentVariable("PROFILE_THREADS"), out int threads) ? threads : BenchmarkConfig.Threads;

    public static void Print(ModelKind model, int batch, int rounds, bool channelsLast)
    {
        torch.set_num_threads(Threads);
        using var network = new ConvNetwork(model.Spec());
        network.eval();
        using InferenceNetwork prepared = network.ForInference(channelsLast);
        int size = model.Spec().Resolution;
        using Tensor input = torch.randn(batch, 3, size, size);

        string onnxPath = Path.Combine(Path.GetTempPath(), $"profile-{model}-{Environment.ProcessId}.onnx");
        network.ExportOnnx(onnxPath);
        try
        {
            (string Path, nn.Module<Tensor, Tensor> Module)[] blocks = Blocks(prepared);
            (Dictionary<string, double> torchMs, Dictionary<string, double> onnxMs) = Interleaved(onnxPath, prepared, blocks, input, rounds);
            Report(model, batch, channelsLast, torchMs, onnxMs);
        }
        finally
        {
            File.Delete(onnxPath);
        }
    }

    /// <summary>
    /// Runs both in alternating chunks of <see cref="Chunk"/> rounds, so that the machine's drift (up to 2× between
    /// windows here) hits both alike; returns the median milliseconds per block of each.
    /// </summary>
    private static (Dictionary<string, double> Torch, Dictionary<string, double> Onnx) Interleaved(
        string onnxPath, InferenceNetwork prepared, (string Path, nn.Module<Tensor, Tensor> Module)[] blocks, Tensor input, int rounds)
    {
        var options = new SessionOptions { IntraOpNumThreads = Threads, InterOpNumThreads = 1 };
        options.ProfileOutputPathPrefix = Path.Combine(Path.GetTempPath(), $"ort-profile-{Environment.ProcessId}");
        options.EnableProfiling = true;
        var torchSamples = new Dictionary<string, List<double>>();
        int chunks = Math.Max(1, rounds / Chunk);
        string profile;
        using (var session = new InferenceSession(onnxPath, options))
        {
            var dense = new DenseTensor<float>(input.data<float>().ToArray(), [.. input.shape.Select(d => (int)d)]);
            NamedOnnxValue[] feed = [NamedOnnxValue.CreateFromTensor("input", dense)];
            TimeBlocks(prepared, blocks, input, Warmup, torchSamples, record: false);
            RunOnnx(session, feed, Warmup);
            for (int chunk = 0; chunk < chunks; chunk++)
            {
                RunOnnx(session, feed, Chunk);
                TimeBlocks(prepared, blocks, input, Chunk, torchSamples, record: true);
            }

            profile = session.EndProfiling();
        }

        try
        {
            Dictionary<string, double> onnxMs = SumNodeTimes(profile, chunks * Chunk, [.. blocks.Select(block => block.Path)]);
            return (torchSamples.ToDictionary(pair => pair.Key, pair => Median(pair.Value)), onnxMs);
        }
        finally
        {
            File.Delete(profile);
        }
    }

    private const int Chunk = 10;

    private const int Warmup = 3;

    private static void RunOnnx(InferenceSession session, NamedOnnxValue[] feed, int rounds)
    {
        for (int round = 0; round < rounds; round++)
        {
            using IDisposableReadOnlyCollection<DisposableNamedOnnxValue> _ = session.Run(feed);
        }
    }

    /// <summary>The children of <c>features</c>, with stages (Sequential children) split into their blocks: "features.2.0", "features.2.1", …</summary>
    private static (string Path, nn.Module<Tensor, Tensor> Module)[] Blocks(InferenceNetwork prepared) =>
    [
        .. prepared.Network.Features.named_children().SelectMany(child => child.module is Sequential stage
            ? stage.named_children().Select(block => ($"features.{child.name}.{block.name}", (nn.Module<Tensor, Tensor>)block.module))
            : [($"features.{child.name}", (nn.Module<Tensor, Tensor>)child.module)]),
    ];

    /// <summary>Runs the whole network <paramref name="rounds"/> times, block after block, adding each block's milliseconds to <paramref name="samples"/>.</summary>
    private static void TimeBlocks(InferenceNetwork prepared, (string Path, nn.Module<Tensor, Tensor> Module)[] blocks, Tensor input, int rounds, Dictionary<string, List<double>> samples, bool record)
    {
        using var inference = torch.inference_mode();
        for (int round = 0; round < rounds; round++)
        {
            using var scope = torch.NewDisposeScope();
            Tensor x = prepared.ChannelsLast ? input.permute(0, 2, 3, 1).contiguous().permute(0, 3, 1, 2) : input;
            foreach ((string path, nn.Module<Tensor, Tensor> module) in blocks)
            {
                long start = Stopwatch.GetTimestamp();
                x = module.call(x);
                Record(samples, path, start, record);
            }

            long tailStart = Stopwatch.GetTimestamp();
            prepared.Network.Classifier.call(x.mean([2L, 3L]));
            Record(samples, Tail, tailStart, record);
        }
    }

    private static void Record(Dictionary<string, List<double>> samples, string block, long start, bool record)
    {
        double ms = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        if (!record)
        {
            return;
        }

        if (!samples.TryGetValue(block, out List<double>? list))
        {
            samples[block] = list = [];
        }

        list.Add(ms);
    }

    /// <summary>Sums node times between consecutive run markers (node events precede their run's end marker).</summary>
    private static Dictionary<string, double> SumNodeTimes(string profilePath, int rounds, IReadOnlyCollection<string> blocks)
    {
        using JsonDocument trace = JsonDocument.Parse(File.ReadAllText(profilePath));
        var runs = new List<Dictionary<string, double>>();
        var current = new Dictionary<string, double>();
        foreach (JsonElement ev in trace.RootElement.EnumerateArray())
        {
            string category = ev.GetProperty("cat").GetString()!;
            string name = ev.GetProperty("name").GetString()!;
            if (category == "Node" && name.EndsWith("_kernel_time", StringComparison.Ordinal))
            {
                string block = BlockOf(name[..^"_kernel_time".Length], blocks);
                current[block] = current.GetValueOrDefault(block) + ev.GetProperty("dur").GetDouble() / 1000;
            }
            else if (category == "Session" && name == "model_run")
            {
                runs.Add(current);
                current = [];
            }
        }

        List<Dictionary<string, double>> measured = runs.Skip(Math.Max(0, runs.Count - rounds)).ToList();
        return measured.SelectMany(run => run.Keys).Distinct()
            .ToDictionary(block => block, block => Median([.. measured.Select(run => run.GetValueOrDefault(block))]));
    }

    /// <summary>
    /// The block a node belongs to: the timed module path that is a prefix of its name ("features.3.1.block.1.0" →
    /// "features.3.1", "features.0.2/QuickGeluFusion/" → "features.0"). ONNX Runtime's layout conversions (NCHW ↔ its
    /// blocked NCHWc) have no module and are listed on their own; pooling, flatten and Gemm form the tail.
    /// </summary>
    private static string BlockOf(string node, IReadOnlyCollection<string> blocks)
    {
        string? block = blocks.Where(path => node.Length > path.Length && node.StartsWith(path, StringComparison.Ordinal) && node[path.Length] is '.' or '/' or '_')
            .MaxBy(path => path.Length);
        return block ?? (node.StartsWith("Reorder", StringComparison.Ordinal) ? LayoutConversions : Tail);
    }

    private const string Tail = "avgpool + classifier";

    private const string LayoutConversions = "(ONNX Runtime layout conversions)";

    private static void Report(ModelKind model, int batch, bool channelsLast, Dictionary<string, double> torchMs, Dictionary<string, double> onnxMs)
    {
        Console.WriteLine($"{model}, batch {batch}, {Threads} threads, ForInference(channelsLast: {channelsLast.ToString().ToLowerInvariant()}) against ONNX Runtime {OrtEnv.Instance().GetVersionString()} (medians, ms)");
        Console.WriteLine();
        Console.WriteLine("| block | ForInference() | ONNX Runtime | ratio |");
        Console.WriteLine("|---|---:|---:|---:|");
        foreach (string block in torchMs.Keys.Concat(onnxMs.Keys.Where(key => !torchMs.ContainsKey(key))).Distinct())
        {
            double ours = torchMs.GetValueOrDefault(block);
            double theirs = onnxMs.GetValueOrDefault(block);
            Console.WriteLine($"| {block} | {ours:F3} | {theirs:F3} | {(theirs > 0 && ours > 0 ? $"{ours / theirs:F2}" : "–")} |");
        }

        double oursTotal = torchMs.Values.Sum();
        double theirsTotal = onnxMs.Values.Sum();
        Console.WriteLine($"| **sum** | {oursTotal:F3} | {theirsTotal:F3} | {oursTotal / theirsTotal:F2} |");
    }

    private static double Median(IReadOnlyList<double> values)
    {
        double[] sorted = [.. values.Order()];
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
