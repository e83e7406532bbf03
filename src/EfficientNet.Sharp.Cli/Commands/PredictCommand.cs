using System.ComponentModel;
using System.Globalization;
using EfficientNet.Sharp.Analysis;
using EfficientNet.Sharp.Cli.Errors;
using EfficientNet.Sharp.Cli.Limits;
using EfficientNet.Sharp.Profiles;
using EfficientNet.Sharp.Specs;
using Spectre.Console;
using Spectre.Console.Cli;

namespace EfficientNet.Sharp.Cli.Commands;

/// <summary>
/// <c>effnet predict --device FILE</c>: a network's batch-1 latency on a profiled device, predicted from the profile
/// (nothing is built or run), with the time of each part and the kernels outside the profile's grid.
/// </summary>
internal sealed class PredictCommand(IAnsiConsole console, Diagnostics diagnostics) : Command<PredictCommand.Settings>
{
    /// <summary>Options of <c>effnet predict</c>.</summary>
    public sealed class Settings : NetworkOptions, IUsesLibTorch
    {
        [CommandOption("--device <FILE>")]
        [Description("The device profile to predict from (written by 'effnet profile-device' on the device).")]
        public string? Device { get; init; }

        [CommandOption("--threads <COUNT>")]
        [Description("The intra-op threads the network will run with; a profile measured with another count is refused.")]
        public int? Threads { get; init; }

        [CommandOption("--kernels")]
        [Description("Also list every kernel with its predicted time.")]
        public bool Kernels { get; init; }

        [CommandOption("--json")]
        [Description("Write the result as one JSON document to stdout (schema in docs/json-output.md).")]
        public bool Json { get; init; }

        /// <summary>Predictions read a JSON file and a spec.</summary>
        public bool NeedsLibTorch => false;

        /// <inheritdoc />
        public override ValidationResult Validate() =>
            string.IsNullOrWhiteSpace(Device) ? ValidationResult.Error("Give --device FILE: a profile written by 'effnet profile-device'.")
            : ThreadLimit.Problem(Threads) is { } threads ? ValidationResult.Error(threads)
            : base.Validate();
    }

    /// <inheritdoc />
    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        NetworkSpec spec = settings.BuildSpec();
        DeviceProfile profile = DeviceProfile.Load(settings.Device!);
        LatencyPrediction prediction = new LatencyPredictor(profile).Predict(spec, settings.Threads);
        NetworkAnalysis analysis = NetworkAnalyzer.Analyze(spec);
        foreach (string caveat in prediction.Caveats)
        {
            diagnostics.Note($"warning: {caveat}");
        }

        if (settings.Json)
        {
            JsonOutput.Write(console, "predict", new
            {
                Device = profile.Device.ToString(),
                ProfiledAt = profile.Device.MeasuredAt,
                profile.Device.Threads,
                Network = spec.Name,
                spec.Resolution,
                analysis.Parameters,
                analysis.MultiplyAccumulates,
                PredictedMilliseconds = prediction.Milliseconds,
                Parts = prediction.Parts.Select(p => new { p.Part, p.Milliseconds }),
                Kernels = settings.Kernels ? prediction.Kernels.Select(k => new { k.Part, Kernel = k.Shape.ToString(), k.Milliseconds, k.Extrapolated }) : null,
                Extrapolated = prediction.Extrapolated.Select(k => k.ToString()),
                prediction.Caveats,
            });
            return ExitCodes.Success;
        }

        console.WriteLine($"Device: {profile.Device} (profiled {profile.Device.MeasuredAt:yyyy-MM-dd})");
        console.WriteLine(Invariant($"Network: {spec.Name}, {spec.Resolution} px, {analysis.Parameters:N0} parameters, {analysis.GigaMultiplyAccumulates:0.000} GMACs"));
        console.WriteLine(Invariant($"predicted latency: {prediction.Milliseconds:0.00} ms"));
        var table = new Table().Border(TableBorder.Simple).AddColumn("Part").AddColumn(new TableColumn("Milliseconds").RightAligned()).AddColumn(new TableColumn("Share").RightAligned());
        foreach ((string part, double milliseconds) in prediction.Parts)
        {
            table.AddRow(part, Invariant($"{milliseconds:0.000}"), Invariant($"{100 * milliseconds / prediction.Milliseconds:0.0}%"));
        }

        console.Write(table);
        if (settings.Kernels)
        {
            var kernels = new Table().Border(TableBorder.Simple).AddColumn("Part").AddColumn("Kernel").AddColumn(new TableColumn("Milliseconds").RightAligned());
            foreach (KernelPrediction kernel in prediction.Kernels)
            {
                kernels.AddRow(Markup.Escape(kernel.Part), Markup.Escape(kernel.Shape + (kernel.Extrapolated ? " (extrapolated)" : "")), Invariant($"{kernel.Milliseconds:0.0000}"));
            }

            console.Write(kernels);
        }

        if (prediction.Extrapolated.Count > 0)
        {
            console.WriteLine(Invariant($"{prediction.Extrapolated.Count} kernel{(prediction.Extrapolated.Count == 1 ? " lies" : "s lie")} outside the profile's grid, predicted from the nearest measured kernel of their kind, scaled (less sure; docs/device-fit.md, \"Outside the grid\"):"));
            foreach (KernelShape kernel in prediction.Extrapolated)
            {
                console.WriteLine($"  {kernel}");
            }
        }

        return ExitCodes.Success;
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
