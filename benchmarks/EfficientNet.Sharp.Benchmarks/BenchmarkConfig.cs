using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Exporters;
using BenchmarkDotNet.Exporters.Csv;
using BenchmarkDotNet.Reports;

namespace EfficientNet.Sharp.Benchmarks;

/// <summary>
/// Shared settings: libtorch runs on <see cref="Threads"/> intra-op threads (the project's machine has
/// two cores), managed allocations are reported, and throughput, multiply-accumulate rate and native
/// peak memory are added as columns. The job comes from the command line (<c>--job short</c> for
/// quick looks, the default job for published numbers, <c>--job dry</c> to check the suites run).
/// </summary>
public sealed class BenchmarkConfig : ManualConfig
{
    public const int Threads = 2;

    public BenchmarkConfig()
    {
        AddDiagnoser(MemoryDiagnoser.Default);
        AddColumn(new ThroughputColumn(), new MultiplyAccumulateRateColumn(), new NativePeakColumn());
        AddExporter(MarkdownExporter.GitHub, CsvExporter.Default);

        // Block cases are named "B0-noSE s2 MBConv 16→24 @112": BenchmarkDotNet would cut them at 20 characters.
        WithSummaryStyle(SummaryStyle.Default.WithMaxParameterColumnWidth(48));
    }
}
