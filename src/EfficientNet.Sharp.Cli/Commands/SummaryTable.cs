using System.Globalization;
using EfficientNet.Sharp.Analysis;
using EfficientNet.Sharp.Specs;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace EfficientNet.Sharp.Cli.Commands;

/// <summary>Renders a spec as a per-stage table and a totals grid.</summary>
internal static class SummaryTable
{
    public static Table Create(NetworkSpec spec)
    {
        ParameterBreakdown parameters = ParameterCounter.Count(spec);
        var table = new Table()
            .Title($"[bold]{Markup.Escape(spec.Name)}[/]")
            .AddColumns("Stage", "Block", "Kernel", "Stride", "Channels", "Repeats", "Expand", "SE", "Activation")
            .AddColumn(new TableColumn("Parameters").RightAligned());

        table.AddRow(
            "stem", "Conv+BN", Number(spec.Stem.KernelSize), Number(spec.Stem.Stride),
            $"{spec.InputChannels} → {spec.Stem.OutChannels}", "1", "", "", spec.Stem.Activation.ToString(), Number(parameters.Stem));
        for (int i = 0; i < spec.Stages.Count; i++)
        {
            StageSpec stage = spec.Stages[i];
            table.AddRow(
                Number(i + 1),
                stage.Block.ToString(),
                Number(stage.KernelSize),
                Number(stage.Stride),
                $"{stage.InChannels} → {stage.OutChannels}",
                Number(stage.Repeats),
                stage.ExpandRatio.ToString("0.##", CultureInfo.InvariantCulture),
                stage.SqueezeRatio == 0 ? "" : stage.SqueezeRatio.ToString("0.##", CultureInfo.InvariantCulture),
                stage.Activation.ToString(),
                Number(parameters.Stages[i]));
        }

        if (spec.Head is { } head)
        {
            table.AddRow("head", "Conv+BN", "1", "1", $"{spec.Stages[^1].OutChannels} → {head.OutChannels}", "1", "", "", head.Activation.ToString(), Number(parameters.Head));
        }

        table.AddRow(
            "classifier", $"Dropout {spec.Classifier.Dropout.ToString("0.###", CultureInfo.InvariantCulture)} + Linear", "", "",
            $"{spec.FeatureChannels} → {spec.Classifier.NumClasses}", "1", "", "", "", Number(parameters.Classifier));
        return table;
    }

    public static IRenderable Totals(NetworkSpec spec)
    {
        var grid = new Grid().AddColumn().AddColumn();
        grid.AddRow("Parameters", Number(ParameterCounter.Count(spec).Total));
        grid.AddRow("Input resolution", $"{spec.Resolution} × {spec.Resolution} px, {spec.InputChannels} channels");
        grid.AddRow("Blocks", Number(spec.BlockCount));
        if (spec.Scaling is { } scaling)
        {
            string phi = scaling.Phi is double p ? $"φ = {p.ToString("0.###", CultureInfo.InvariantCulture)}, " : "";
            grid.AddRow("Scaling", $"{phi}{scaling.Rule}: width × {Format(scaling.WidthMultiplier)}, depth × {Format(scaling.DepthMultiplier)}, resolution × {Format(scaling.ResolutionMultiplier)}");
            if (scaling.Coefficients is { } c)
            {
                grid.AddRow("Coefficients", $"α = {Format(c.Alpha)}, β = {Format(c.Beta)}, γ = {Format(c.Gamma)} (α·β²·γ² = {Format(c.FlopsFactor)})");
            }
        }

        grid.AddRow("BatchNorm", $"ε = {spec.BatchNorm.Epsilon.ToString(CultureInfo.InvariantCulture)}, momentum = {spec.BatchNorm.Momentum.ToString(CultureInfo.InvariantCulture)}");
        grid.AddRow("Stochastic depth", Format(spec.StochasticDepthRate));
        return grid;

        static string Format(double value) => value.ToString("0.####", CultureInfo.InvariantCulture);
    }

    private static string Number(long value) => value.ToString("N0", CultureInfo.InvariantCulture);
}
