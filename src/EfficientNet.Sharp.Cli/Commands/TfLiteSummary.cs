using System.Globalization;
using EfficientNet.Sharp.TfLite;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace EfficientNet.Sharp.Cli.Commands;

/// <summary>What <c>effnet summary --tflite</c> adds to the architecture table: what was recognised and how the file takes its input.</summary>
internal static class TfLiteSummary
{
    public static IRenderable Create(TfLiteModel model)
    {
        var grid = new Grid().AddColumn().AddColumn();
        grid.AddRow("TFLite file", Markup.Escape(model.Source));
        grid.AddRow("Recognised", Markup.Escape($"{model.Spec.Family} ({model.Spec.Name}){Width(model)}, {model.Spec.Resolution} px, {model.Spec.BlockCount} blocks in {model.Spec.Stages.Count} stages"));
        grid.AddRow("Output", model.Spec.Classifier.IsHeadless
            ? $"{model.Spec.FeatureChannels} pooled features (headless: no classifier; classify refuses it)"
            : $"{model.Spec.Classifier.NumClasses} classes");
        grid.AddRow("Input", Markup.Escape(model.InputQuantization is { } q
            ? string.Create(CultureInfo.InvariantCulture, $"{q.ElementType}, real = {q.Scale:g6} · (q − {q.ZeroPoint})")
            : "float32"));
        if (model.InputNormalization is { } n)
        {
            grid.AddRow("In-graph normalisation", Markup.Escape(string.Create(CultureInfo.InvariantCulture, $"{n.Operators}: y = [{Join(n.Scale)}] · x + [{Join(n.Offset)}] (folded into the preprocessing)")));
        }

        grid.AddRow("Weights", Markup.Escape(model.WeightFormat));
        grid.AddRow("Preprocessing", Markup.Escape(model.Transform.ToString()));
        return grid;
    }

    private static string Width(TfLiteModel model) => model.Spec.Scaling is { } scaling
        ? string.Create(CultureInfo.InvariantCulture, $", α = {scaling.WidthMultiplier:0.###}")
        : "";

    private static string Join(IReadOnlyList<double> values) =>
        string.Join(", ", values.Select(v => v.ToString("g4", CultureInfo.InvariantCulture)));
}
