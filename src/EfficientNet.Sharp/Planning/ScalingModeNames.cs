namespace EfficientNet.Sharp.Planning;

/// <summary>
/// The name users read and type for each scaling mode (<c>effnet fit --mode width</c>, "width scaling on cpu"): one
/// table for the tool's option, the family names in reports and the JSON output.
/// </summary>
internal static class ScalingModeNames
{
    private static readonly (string Name, ScalingMode Mode)[] Names =
        [("compound", ScalingMode.Compound), ("width", ScalingMode.WidthOnly), ("depth", ScalingMode.DepthOnly), ("resolution", ScalingMode.ResolutionOnly)];

    /// <summary>Every name, in the order help texts list them.</summary>
    public static IEnumerable<string> All => Names.Select(n => n.Name);

    /// <summary>The mode's name.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A mode without a name.</exception>
    public static string Name(ScalingMode mode) =>
        Names.Where(n => n.Mode == mode).Select(n => n.Name).FirstOrDefault()
        ?? throw new ArgumentOutOfRangeException(nameof(mode), mode, "Unknown scaling mode.");

    /// <summary>The mode a name stands for (any case), or <see langword="null"/>.</summary>
    public static ScalingMode? Parse(string name) =>
        Names.Where(n => string.Equals(n.Name, name, StringComparison.OrdinalIgnoreCase)).Select(n => (ScalingMode?)n.Mode).FirstOrDefault();
}
