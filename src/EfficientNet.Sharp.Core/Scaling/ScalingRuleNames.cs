namespace EfficientNet.Sharp.Scaling;

/// <summary>The words reports and JSON use for a <see cref="ScalingRule"/>, as the options and docs spell such things.</summary>
internal static class ScalingRuleNames
{
    public static string Name(ScalingRule rule) => rule switch
    {
        ScalingRule.Baseline => "baseline",
        ScalingRule.PublishedLadder => "published-ladder",
        ScalingRule.InterpolatedLadder => "interpolated-ladder",
        ScalingRule.CompoundExtrapolation => "compound-extrapolation",
        ScalingRule.CompoundCoefficients => "compound-coefficients",
        _ => throw new ArgumentOutOfRangeException(nameof(rule), rule, "Unknown scaling rule."),
    };
}
