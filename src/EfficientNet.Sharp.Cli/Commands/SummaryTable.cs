using System.Globalization;
using EfficientNet.Sharp.Analysis;
using EfficientNet.Sharp.Scaling;
using EfficientNet.Sharp.Specs;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace EfficientNet.Sharp.Cli.Commands;

/// <summary>Renders an analysed spec as a per-part table and a totals grid.</summary>
internal static class SummaryTable
{
    public static Table Create(NetworkAnalysis analysis)
    {
        NetworkSpec spec = analysis.Spec;
        var table = new Table()
            .Title($"[bold]{Markup.Escape(spec.Name)}[/] at {analysis.InputHeight} × {analysis.InputWidth} px, batch {analysis.BatchSize}")
            .AddColumns("Part", "Block", "k", "s", "Channels", "n", "t", "SE", "Activation", "Output")
            .AddColumn(new TableColumn("Parameters").RightAligned())
            .AddColumn(new TableColumn("MMACs").RightAligned())
            .AddColumn(new TableColumn("Peak (inference)").RightAligned())
            .AddColumn(new TableColumn("Kept (training)").RightAligned())
            .Caption("k kernel, s stride, n repeats, t expansion; memory for the whole batch in float32");

        foreach (PartCost part in analysis.Parts)
        {
            string[] description = Describe(spec, part.Name);
            table.AddRow([
                part.Name, .. description, $"{part.OutputHeight}×{part.OutputWidth}",
                Number(part.Parameters), Millions(part.MultiplyAccumulates),
                Bytes(part.InferencePeakActivationBytes), Bytes(part.TrainingActivationBytes)]);
        }

        return table;
    }

    public static IRenderable Totals(NetworkAnalysis analysis)
    {
        NetworkSpec spec = analysis.Spec;
        var grid = new Grid().AddColumn().AddColumn();
        grid.AddRow("Parameters", $"{Number(analysis.Parameters)} ({Bytes(analysis.ParameterBytes)})");
        string counted = spec.Classifier.IsHeadless ? "convolutions incl. SE; headless, no linear layer" : "convolutions incl. SE, and the linear layer";
        grid.AddRow("Multiply-accumulates", $"{analysis.GigaMultiplyAccumulates.ToString("0.000", CultureInfo.InvariantCulture)} G per image ({counted})");
        grid.AddRow("Inference memory", $"{Bytes(analysis.InferencePeakActivationBytes)} activation peak; {Bytes(analysis.EstimatedInferencePeakBytes)} with weights and buffers");
        grid.AddRow("Training activations", $"{Bytes(analysis.TrainingActivationBytes)} kept for backward (gradients and optimizer state extra)");
        grid.AddRow("Input resolution", $"{spec.Resolution} × {spec.Resolution} px, {spec.InputChannels} channels");
        grid.AddRow("Blocks", Number(spec.BlockCount));
        if (spec.Scaling is { } scaling)
        {
            string phi = scaling.Phi is double p ? $"φ = {p.ToString("0.###", CultureInfo.InvariantCulture)}, " : "";
            grid.AddRow("Scaling", $"{phi}{ScalingRuleNames.Name(scaling.Rule)}: width × {Format(scaling.WidthMultiplier)}, depth × {Format(scaling.DepthMultiplier)}, resolution × {Format(scaling.ResolutionMultiplier)}");
            if (scaling.Coefficients is { } c)
            {
                grid.AddRow("Coefficients", $"α = {Format(c.Alpha)}, β = {Format(c.Beta)}, γ = {Format(c.Gamma)} (α·β²·γ² = {Format(c.FlopsFactor)})");
            }
        }

        grid.AddRow("BatchNorm", $"ε = {spec.BatchNorm.Epsilon.ToString(CultureInfo.InvariantCulture)}, momentum = {spec.BatchNorm.Momentum.ToString(CultureInfo.InvariantCulture)}");
        grid.AddRow("Stochastic depth", Format(spec.StochasticDepthRate));
        return grid;
    }

    /// <summary>Block, kernel, stride, channels, repeats, expand, SE and activation columns of a part.</summary>
    private static string[] Describe(NetworkSpec spec, string part)
    {
        if (part == "stem")
        {
            return ["Conv+BN", Number(spec.Stem.KernelSize), Number(spec.Stem.Stride), $"{spec.InputChannels} → {spec.Stem.OutChannels}", "1", "", "", spec.Stem.Activation.ToString()];
        }

        if (part == "head" && spec.Head is { } head)
        {
            return ["Conv+BN", "1", "1", $"{spec.Stages[^1].OutChannels} → {head.OutChannels}", "1", "", "", head.Activation.ToString()];
        }

        if (part == "pooling")
        {
            // A headless network: the pooled features are its output.
            return ["Avg pool, headless", "", "", $"{spec.FeatureChannels} → {spec.FeatureChannels}", "1", "", "", ""];
        }

        if (part == "classifier")
        {
            string dropout = spec.Classifier.Dropout.ToString("0.###", CultureInfo.InvariantCulture);
            return [$"Dropout {dropout}, Linear", "", "", $"{spec.FeatureChannels} → {spec.Classifier.NumClasses}", "1", "", "", ""];
        }

        StageSpec stage = spec.Stages[int.Parse(part["stage ".Length..], CultureInfo.InvariantCulture) - 1];
        return [
            stage.Block.ToString(), Number(stage.KernelSize), Number(stage.Stride), $"{stage.InChannels} → {stage.OutChannels}",
            Number(stage.Repeats), stage.ExpandRatio.ToString("0.##", CultureInfo.InvariantCulture),
            stage.SqueezeRatio == 0 ? "" : stage.SqueezeRatio.ToString("0.##", CultureInfo.InvariantCulture), stage.Activation.ToString()];
    }

    private static string Number(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    private static string Millions(long value) => (value / 1e6).ToString("0.0", CultureInfo.InvariantCulture);

    private static string Format(double value) => value.ToString("0.####", CultureInfo.InvariantCulture);

    internal static string Bytes(long bytes) => bytes switch
    {
        >= 1L << 30 => $"{(bytes / (double)(1L << 30)).ToString("0.00", CultureInfo.InvariantCulture)} GiB",
        >= 1L << 20 => $"{(bytes / (double)(1L << 20)).ToString("0.0", CultureInfo.InvariantCulture)} MiB",
        >= 1L << 10 => $"{(bytes / (double)(1L << 10)).ToString("0.0", CultureInfo.InvariantCulture)} KiB",
        _ => $"{bytes} B",
    };
}
