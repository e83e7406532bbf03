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
    }

    /// <inheritdoc />
    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var cache = new WeightCache(new WeightCacheOptions { Folder = settings.Cache });
        var table = new Table()
            .AddColumns("Name", "File", "Input", "Top-1", "Params", "GFLOPS", "Padding", "On disk");
        foreach (PretrainedWeights weights in WeightCatalog.All)
        {
            bool onDisk = new[] { cache.Folder }.Concat(cache.SearchFolders).Any(folder => File.Exists(Path.Combine(folder, weights.FileName)));
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
