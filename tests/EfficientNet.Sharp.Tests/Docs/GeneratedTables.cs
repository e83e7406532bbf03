using System.Globalization;
using System.Text;
using EfficientNet.Sharp.Analysis;
using EfficientNet.Sharp.Models;
using EfficientNet.Sharp.Weights;

namespace EfficientNet.Sharp.Tests.Docs;

/// <summary>
/// Tables in docs/ written from the registry and the weights catalog, so they cannot go stale: each sits between
/// <c>&lt;!-- generated: NAME --&gt;</c> and <c>&lt;!-- end generated: NAME --&gt;</c>, and a test fails when the
/// page's copy differs from what the code says today (run it with EFFICIENTNET_SHARP_UPDATE_DOCS=1 to rewrite them).
/// </summary>
internal static class GeneratedTables
{
    /// <summary>Every generated table: its name, the page (relative to the repository) and its text.</summary>
    public static IEnumerable<(string Name, string Page, string Markdown)> All()
    {
        yield return ("weights-catalog", "docs/weights.md", WeightsCatalog());
        yield return ("registered-models", "docs/scaling.md", RegisteredModels());
    }

    /// <summary>torchvision's checkpoints: what <c>effnet weights list</c> shows, with torchvision's published figures.</summary>
    private static string WeightsCatalog()
    {
        var table = new StringBuilder();
        table.AppendLine("| name | file | resize / crop, resampling | top-1 | top-5 | GFLOPS | MB |");
        table.AppendLine("|---|---|---|---|---|---|---|");
        foreach (PretrainedWeights weights in WeightCatalog.All.Where(w => w.Source == WeightSource.Torchvision))
        {
            string remark = weights.Remarks is null ? "" : " (\\*)";
            table.AppendLine(Invariant($"| {weights.Name} | {weights.FileName}{remark} | {weights.Transform.ResizeSize} / {weights.Transform.CropSize}, {weights.Transform.Interpolation.ToString().ToLowerInvariant()} | {weights.Top1Accuracy:0.000} | {weights.Top5Accuracy:0.000} | {weights.GigaFlops:0.000} | {weights.FileSizeMegabytes:0.000} |"));
        }

        return table.ToString();
    }

    /// <summary>Every name <c>--model</c> takes: what <c>effnet models</c> shows, and which multipliers its family scales.</summary>
    private static string RegisteredModels()
    {
        var table = new StringBuilder();
        table.AppendLine("| name | aliases | family | input | parameters | GMACs | scales | weights (default first) |");
        table.AppendLine("|---|---|---|---|---|---|---|---|");
        foreach (RegisteredModel model in ModelRegistry.All)
        {
            NetworkAnalysis analysis = NetworkAnalyzer.Analyze(model.Spec);
            string scales = string.Join(", ", model.ScaledDimensions);
            string aliases = model.Aliases.Count == 0 ? "" : string.Join(", ", model.Aliases.Select(a => $"`{a}`"));
            string weights = string.Join(", ", model.Weights.Select(w => w.Name));
            table.AppendLine(Invariant($"| `{model.Name}` | {aliases} | {model.Spec.Family} | {model.Spec.Resolution} | {analysis.Parameters:N0} | {analysis.GigaMultiplyAccumulates:0.000} | {scales} | {weights} |"));
        }

        return table.ToString();
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
