using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Parameters;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using EfficientNet.Sharp.Analysis;
using EfficientNet.Sharp.Devices;

namespace EfficientNet.Sharp.Benchmarks;

/// <summary>What every custom column shares: a numeric value per benchmark case, or "-".</summary>
public abstract class CaseColumn(string name, string legend) : IColumn
{
    public string Id => GetType().Name;

    public string ColumnName { get; } = name;

    public bool AlwaysShow => true;

    public ColumnCategory Category => ColumnCategory.Custom;

    public int PriorityInCategory => 0;

    public bool IsNumeric => true;

    public UnitType UnitType => UnitType.Dimensionless;

    public string Legend { get; } = legend;

    public bool IsAvailable(Summary summary) => true;

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style) =>
        Value(summary, benchmarkCase) is double value ? value.ToString("N1", System.Globalization.CultureInfo.InvariantCulture) : "-";

    protected abstract double? Value(Summary summary, BenchmarkCase benchmarkCase);

    protected static double? MeanSeconds(Summary summary, BenchmarkCase benchmarkCase) =>
        summary[benchmarkCase]?.ResultStatistics?.Mean is double nanoseconds ? nanoseconds / 1e9 : null;

    protected static int Batch(BenchmarkCase benchmarkCase) =>
        benchmarkCase.Parameters.Items.FirstOrDefault(p => p.Name == "Batch")?.Value is int batch ? batch : 1;

    /// <summary>Forward multiply-accumulates of one call, from the spec analysis (n³ for a matrix product).</summary>
    protected static double? MultiplyAccumulatesPerCall(BenchmarkCase benchmarkCase)
    {
        foreach (ParameterInstance parameter in benchmarkCase.Parameters.Items)
        {
            switch (parameter.Value)
            {
                case BlockCase block:
                    return (double)block.MultiplyAccumulates * Batch(benchmarkCase);
                case ModelKind model:
                    return (double)NetworkAnalyzer.Analyze(model.Spec()).MultiplyAccumulates * Batch(benchmarkCase);
                case int size when parameter.Name == "Size":
                    return Math.Pow(size, 3);
            }
        }

        ModelKind? fixedModel = benchmarkCase.Descriptor.Type == typeof(TrainingStepBenchmarks) ? ModelKind.B0
            : benchmarkCase.Descriptor.Type == typeof(BaselineBenchmarks) ? ModelKind.MobileNetV2
            : null;
        return fixedModel is ModelKind kind ? (double)NetworkAnalyzer.Analyze(kind.Spec()).MultiplyAccumulates * Batch(benchmarkCase) : null;
    }
}

/// <summary>Images per second at the mean time of a call.</summary>
public sealed class ThroughputColumn() : CaseColumn("Images/s", "Images per second: batch / mean time of one call")
{
    protected override double? Value(Summary summary, BenchmarkCase benchmarkCase) =>
        benchmarkCase.Descriptor.Type == typeof(MatmulPeakBenchmarks) ? null
        : MeanSeconds(summary, benchmarkCase) is double seconds ? Batch(benchmarkCase) / seconds : null;
}

/// <summary>Forward multiply-accumulates per second (a training step does roughly three times this work).</summary>
public sealed class MultiplyAccumulateRateColumn() : CaseColumn("GMAC/s", "Forward multiply-accumulates per second, in billions (1 MAC = 2 FLOPs; a training step does about 3x the forward work)")
{
    protected override double? Value(Summary summary, BenchmarkCase benchmarkCase) =>
        MeanSeconds(summary, benchmarkCase) is double seconds && MultiplyAccumulatesPerCall(benchmarkCase) is double macs ? macs / seconds / 1e9 : null;
}

/// <summary>
/// Native (libtorch) memory one call needs: how far the benchmark process's resident memory rose during
/// one call of the measured method, taken in global setup. BenchmarkDotNet's own memory column counts
/// managed allocations only.
/// </summary>
public sealed class NativePeakColumn() : CaseColumn("Native peak MiB", "Rise of resident memory during one call, measured once in setup (Linux only)")
{
    private static string Folder => Path.Combine(Path.GetTempPath(), "effnet-benchmarks");

    /// <summary>Measures one call in the benchmark process and leaves the result where the host process reads it.</summary>
    public static void Record(object benchmark, Action call, [System.Runtime.CompilerServices.CallerArgumentExpression(nameof(call))] string method = "")
    {
        if (PeakMemory.Measure(call) is long bytes)
        {
            Directory.CreateDirectory(Folder);
            string name = method.Replace("()", "", StringComparison.Ordinal).Replace("=>", "", StringComparison.Ordinal).Trim();
            File.WriteAllText(Path.Combine(Folder, Key(DeclaredType(benchmark).Name, name, Describe(benchmark))), bytes.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
    }

    protected override double? Value(Summary summary, BenchmarkCase benchmarkCase)
    {
        string parameters = string.Join(",", benchmarkCase.Parameters.Items.OrderBy(p => p.Name).Select(p => $"{p.Name}={p.Value}"));
        string path = Path.Combine(Folder, Key(benchmarkCase.Descriptor.Type.Name, benchmarkCase.Descriptor.WorkloadMethod.Name, parameters));
        return File.Exists(path) ? long.Parse(File.ReadAllText(path), System.Globalization.CultureInfo.InvariantCulture) / 1048576.0 : null;
    }

    /// <summary>The benchmark class itself: in its own process BenchmarkDotNet runs a generated subclass named Runnable_N.</summary>
    private static Type DeclaredType(object benchmark)
    {
        Type type = benchmark.GetType();
        while (type.Name.StartsWith("Runnable_", StringComparison.Ordinal) && type.BaseType is { } parent)
        {
            type = parent;
        }

        return type;
    }

    private static string Describe(object benchmark) => string.Join(",", benchmark.GetType().GetProperties()
        .Where(p => p.GetCustomAttributes(typeof(BenchmarkDotNet.Attributes.ParamsAttribute), false).Length > 0 || p.GetCustomAttributes(typeof(BenchmarkDotNet.Attributes.ParamsSourceAttribute), false).Length > 0)
        .OrderBy(p => p.Name)
        .Select(p => $"{p.Name}={p.GetValue(benchmark)}"));

    private static string Key(string type, string method, string parameters) =>
        $"{type}-{method}-{Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(parameters)))[..16]}.txt";
}
