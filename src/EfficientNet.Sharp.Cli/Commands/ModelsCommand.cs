using System.Globalization;
using EfficientNet.Sharp.Analysis;
using EfficientNet.Sharp.Models;
using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;

namespace EfficientNet.Sharp.Cli.Commands;

/// <summary><c>effnet models</c>: every name <c>--model</c> accepts, with its size, cost and published weights.</summary>
internal sealed class ModelsCommand(IAnsiConsole console) : Command<ModelsCommand.Settings>
{
    /// <summary>Options of <c>effnet models</c>.</summary>
    public sealed class Settings : CommandSettings
    {
        [CommandOption("--json")]
        [Description("Write the result as one JSON document to stdout (schema in docs/json-output.md).")]
        public bool Json { get; init; }
    }

    /// <inheritdoc />
    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        if (settings.Json)
        {
            JsonOutput.Write(console, "models", new
            {
                Models = ModelRegistry.All.Select(model =>
                {
                    NetworkAnalysis analysis = NetworkAnalyzer.Analyze(model.Spec);
                    return new
                    {
                        model.Name,
                        model.Aliases,
                        Family = model.Spec.Family.ToString(),
                        model.Spec.Resolution,
                        analysis.Parameters,
                        MultiplyAccumulates = analysis.MultiplyAccumulates,
                        Scales = model.ScaledDimensions,
                        Weights = model.Weights.Select(w => w.Name),
                    };
                }),
            });
            return 0;
        }

        var table = new Table().AddColumns("Name", "Aliases", "Family", "Input", "Params", "GMACs", "Weights (default first)");
        foreach (RegisteredModel model in ModelRegistry.All)
        {
            NetworkAnalysis analysis = NetworkAnalyzer.Analyze(model.Spec);
            table.AddRow(
                Markup.Escape(model.Name),
                Markup.Escape(string.Join(", ", model.Aliases)),
                model.Spec.Family.ToString(),
                model.Spec.Resolution.ToString(CultureInfo.InvariantCulture),
                analysis.Parameters.ToString("N0", CultureInfo.InvariantCulture),
                analysis.GigaMultiplyAccumulates.ToString("0.000", CultureInfo.InvariantCulture),
                Markup.Escape(string.Join(", ", model.Weights.Select(w => w.Name))));
        }

        console.Write(table);
        console.WriteLine("Hyphens and underscores are interchangeable: --model mobilenet-v3-small is mobilenet_v3_small.");
        return 0;
    }
}
