using EfficientNet.Sharp.Specs;

namespace EfficientNet.Sharp.Scaling;

/// <summary>Whether a scale keeps a preset within <see cref="SpecLimits"/>, computed in double before any size is rounded to an integer.</summary>
internal static class ScaleLimits
{
    /// <summary>The widest layer of <paramref name="baseline"/> (stem, expanded or output channels of a stage, head), times <paramref name="widthMultiplier"/>.</summary>
    public static void Width(NetworkSpec baseline, double widthMultiplier, string parameterName, object actualValue)
    {
        double widest = baseline.Stages
            .Select(s => Math.Max(s.InChannels * s.ExpandRatio, s.OutChannels))
            .Append(baseline.Stem.OutChannels)
            .Append(baseline.Head?.OutChannels ?? 0)
            .Max();
        SpecLimits.Check(widest * widthMultiplier, SpecLimits.MaxChannels, "channels in its widest layer", parameterName, actualValue);
    }

    public static void Depth(NetworkSpec baseline, double depthMultiplier, string parameterName, object actualValue) =>
        SpecLimits.Check(Math.Ceiling(baseline.Stages.Max(s => s.Repeats) * depthMultiplier), SpecLimits.MaxRepeats, "blocks in its longest stage", parameterName, actualValue);

    public static void Resolution(double resolutionMultiplier, string parameterName, object actualValue) =>
        SpecLimits.Check(NetworkPresets.BaselineResolution * resolutionMultiplier, SpecLimits.MaxResolution, "pixels of input", parameterName, actualValue);
}
