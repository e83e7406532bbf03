using EfficientNet.Sharp.Analysis;
using EfficientNet.Sharp.Scaling;
using EfficientNet.Sharp.Specs;

namespace EfficientNet.Sharp.Cli.Commands;

/// <summary><c>effnet summary --json</c>: the analysis of a spec, part by part (schema effnet/summary/1).</summary>
internal static class SummaryJson
{
    public static object Of(NetworkAnalysis analysis, string? preprocessing)
    {
        NetworkSpec spec = analysis.Spec;
        return new
        {
            Network = spec.Name,
            Family = spec.Family.ToString(),
            Resolution = spec.Resolution,
            InputChannels = spec.InputChannels,
            Classes = spec.Classifier.NumClasses,
            BatchSize = analysis.BatchSize,
            Parameters = analysis.Parameters,
            ParameterBytes = analysis.ParameterBytes,
            analysis.MultiplyAccumulates,
            InferencePeakActivationBytes = analysis.InferencePeakActivationBytes,
            EstimatedInferencePeakBytes = analysis.EstimatedInferencePeakBytes,
            TrainingActivationBytes = analysis.TrainingActivationBytes,
            Blocks = spec.BlockCount,
            Scaling = spec.Scaling is { } scaling
                ? new { scaling.Phi, Rule = ScalingRuleNames.Name(scaling.Rule), Width = scaling.WidthMultiplier, Depth = scaling.DepthMultiplier, Resolution = scaling.ResolutionMultiplier }
                : null,
            Preprocessing = preprocessing,
            Parts = analysis.Parts.Select(part => new
            {
                part.Name,
                part.OutputHeight,
                part.OutputWidth,
                part.Parameters,
                part.MultiplyAccumulates,
                part.InferencePeakActivationBytes,
                part.TrainingActivationBytes,
            }),
        };
    }
}
