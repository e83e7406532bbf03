using System.ComponentModel;
using EfficientNet.Sharp.Analysis;
using EfficientNet.Sharp.Cli.Errors;
using EfficientNet.Sharp.Specs;
using EfficientNet.Sharp.TfLite;
using Spectre.Console;
using Spectre.Console.Cli;

namespace EfficientNet.Sharp.Cli.Commands;

/// <summary>
/// <c>effnet summary</c>: the scaled architecture as a table, computed from the spec (no tensors are allocated);
/// with <c>--tflite FILE</c>, the architecture recognised in a TensorFlow Lite file and how it takes its input.
/// </summary>
internal sealed class SummaryCommand(IAnsiConsole console) : Command<SummaryCommand.Settings>
{
    /// <summary>Options of <c>effnet summary</c>.</summary>
    public sealed class Settings : NetworkOptions
    {
        [CommandOption("--batch <SIZE>")]
        [Description("Batch size for the memory figures (default 1; multiply-accumulates are per image).")]
        public int Batch { get; init; } = 1;

        [CommandOption("--tflite <FILE>")]
        [Description("Summarise the architecture recognised in this TensorFlow Lite file instead (network options do not apply); nothing is classified.")]
        public string? TfLite { get; init; }

        [CommandOption("--json")]
        [Description("Write the result as one JSON document to stdout (schema in docs/json-output.md).")]
        public bool Json { get; init; }

        /// <inheritdoc />
        public override ValidationResult Validate() =>
            Batch < 1 ? ValidationResult.Error("--batch must be at least 1.") : base.Validate();
    }

    /// <inheritdoc />
    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        if (settings.TfLite is { } file)
        {
            using TfLiteModel model = TfLiteImport.Load(file);
            NetworkAnalysis imported = NetworkAnalyzer.Analyze(model.Spec, batchSize: settings.Batch);
            if (settings.Json)
            {
                JsonOutput.Write(console, "summary", SummaryJson.Of(imported, model.Transform.ToString()));
                return ExitCodes.Success;
            }

            console.Write(SummaryTable.Create(imported));
            console.Write(SummaryTable.Totals(imported));
            console.Write(TfLiteSummary.Create(model));
            return ExitCodes.Success;
        }

        NetworkSpec spec = settings.BuildSpec();
        NetworkAnalysis analysis = NetworkAnalyzer.Analyze(spec, batchSize: settings.Batch);
        if (settings.Json)
        {
            JsonOutput.Write(console, "summary", SummaryJson.Of(analysis, preprocessing: null));
            return ExitCodes.Success;
        }

        console.Write(SummaryTable.Create(analysis));
        console.Write(SummaryTable.Totals(analysis));
        return ExitCodes.Success;
    }
}
