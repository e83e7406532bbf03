using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Exporters;
using BenchmarkDotNet.Exporters.Csv;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Reports;

namespace EfficientNet.Sharp.Benchmarks.DeviceFit;

/// <summary>
/// Settings for timing the held-out networks: a process per network, median and minimum reported (the comparison uses
/// the median), and a job short enough for the 49 networks and both precisions' calibration networks (as anchors) to
/// run in about a quarter of an hour (15 minutes for 61 here); <c>--job</c> on the command line still replaces it.
/// </summary>
public sealed class DeviceFitConfig : ManualConfig
{
    public DeviceFitConfig()
    {
        AddJob(Job.Default.WithWarmupCount(4).WithIterationCount(12).WithLaunchCount(1));
        AddColumn(StatisticColumn.Median, StatisticColumn.Min);
        AddExporter(MarkdownExporter.GitHub, CsvExporter.Default);
        WithSummaryStyle(SummaryStyle.Default.WithMaxParameterColumnWidth(48).WithTimeUnit(Perfolizer.Horology.TimeUnit.Millisecond));
    }
}
