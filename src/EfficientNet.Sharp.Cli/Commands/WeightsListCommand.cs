using System.Globalization;
using EfficientNet.Sharp.Weights;
using Spectre.Console;
using Spectre.Console.Cli;

namespace EfficientNet.Sharp.Cli.Commands;

/// <summary><c>effnet weights list</c>: the catalog of published checkpoints and whether each is on disk.</summary>
internal sealed class WeightsListCommand(IAnsiConsole console) : Command<WeightsListCommand.Settings>
{
    /// <summary>Options of <c>effnet weights list</c>.</summary>
    public sealed class Settings : CommandSettings
    {
        [CommandOption("--cache <FOLDER>")]
        [System.ComponentModel.Description("Cache folder to check (default: $EFFICIENTNET_SHARP_CACHE or ~/.cache/efficientnet-sharp).")]
        public string? Cache { get; init; }

        [CommandOption("--json")]
        [System.ComponentModel.Description("Write the result as one JSON document to stdout (schema in docs/json-output.md).")]
        public bool Json { get; init; }
    }

    /// <inheritdoc />
    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var cache = new WeightCache(new WeightCacheOptions { Folder = settings.Cache });
        bool OnDisk(PretrainedWeights weights) => new[] { cache.Folder }.Concat(cache.SearchFolders).Any(folder => File.Exists(Path.Combine(folder, weights.FileName)));
        if (settings.Json)
        {
            JsonOutput.Write(console, "weights-list", new
            {
                CacheFolder = cache.Folder,
                Weights = WeightCatalog.All.Select(w => new
                {
                    w.Name,
                    Source = w.Source.ToString().ToLowerInvariant(),
                    File = w.FileName,
                    w.Sha256,
                    Network = w.Architecture.Name,
                    Parameters = Analysis.NetworkAnalyzer.Analyze(w.Architecture).Parameters,
                    Padding = OptionNames.Name(w.Architecture.Padding),
                    Preprocessing = w.Transform.ToString(),
                    w.Transform.ResizeSize,
                    w.Transform.CropSize,
                    Top1 = w.Top1Accuracy,
                    Top5 = w.Top5Accuracy,
                    w.GigaFlops,
                    FileMegabytes = w.FileSizeMegabytes,
                    OnDisk = OnDisk(w),
                }),
            });
            return 0;
        }

        var table = new Table()
            .AddColumns("Name", "File", "Input", "Top-1", "Params", "GFLOPS", "Padding", "On disk");
        foreach (PretrainedWeights weights in WeightCatalog.All)
        {
            bool onDisk = OnDisk(weights);
            table.AddRow(
                Markup.Escape(weights.Name),
                Markup.Escape(weights.FileName),
                weights.Transform.CropSize.ToString(CultureInfo.InvariantCulture),
                weights.Top1Accuracy?.ToString("0.###", CultureInfo.InvariantCulture) ?? "",
                Analysis.NetworkAnalyzer.Analyze(weights.Architecture).Parameters.ToString("N0", CultureInfo.InvariantCulture),
                weights.GigaFlops?.ToString("0.###", CultureInfo.InvariantCulture) ?? "",
                OptionNames.Name(weights.Architecture.Padding),
                onDisk ? "yes" : "");
        }

        console.Write(table);
        console.MarkupLineInterpolated($"Cache folder: {cache.Folder}");
        return 0;
    }
}
