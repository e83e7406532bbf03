using EfficientNet.Sharp.Onnx.Protobuf;

namespace EfficientNet.Sharp.Benchmarks;

/// <summary>The operator mix of ONNX files, side by side (<c>-- onnx-ops a.onnx b.onnx</c>): what docs/benchmarks.md compares.</summary>
internal static class OnnxOperators
{
    public static void Print(IReadOnlyList<string> files)
    {
        var counts = files.ToDictionary(f => f, f => ModelProto.Parser.ParseFrom(File.ReadAllBytes(f)).Graph.Node.CountBy(n => n.OpType).ToDictionary());
        string[] operators = [.. counts.Values.SelectMany(c => c.Keys).Distinct().Order(StringComparer.Ordinal)];
        Console.WriteLine($"| operator | {string.Join(" | ", files.Select(Path.GetFileName))} |");
        Console.WriteLine($"|---|{string.Concat(files.Select(_ => "---|"))}");
        foreach (string op in operators)
        {
            Console.WriteLine($"| {op} | {string.Join(" | ", files.Select(f => counts[f].GetValueOrDefault(op)))} |");
        }

        Console.WriteLine($"| **all** | {string.Join(" | ", files.Select(f => counts[f].Values.Sum()))} |");
    }
}
