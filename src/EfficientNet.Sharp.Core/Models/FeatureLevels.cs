using EfficientNet.Sharp.Specs;

namespace EfficientNet.Sharp.Models;

/// <summary>Checks a caller's choice of feature levels against a network's <see cref="NetworkSpec.FeatureInfo"/>.</summary>
internal static class FeatureLevels
{
    /// <summary>The levels named by <paramref name="levels"/>, in that order.</summary>
    /// <param name="info">The network's levels.</param>
    /// <param name="levels">The caller's choice.</param>
    /// <param name="parameter">The caller's parameter name, for the exception.</param>
    /// <exception cref="ArgumentException">The list is empty, repeats a level or names one outside the network's levels.</exception>
    public static IReadOnlyList<FeatureLevel> Choose(IReadOnlyList<FeatureLevel> info, IReadOnlyList<int> levels, string parameter = "levels")
    {
        ArgumentNullException.ThrowIfNull(levels, parameter);
        if (levels.Count == 0)
        {
            throw new ArgumentException("Choose at least one feature level.", parameter);
        }

        var seen = new HashSet<int>();
        foreach (int level in levels)
        {
            if (level < 0 || level >= info.Count)
            {
                throw new ArgumentException($"Feature level {level} does not exist; this network has levels 0 to {info.Count - 1} (see FeatureInfo).", parameter);
            }

            if (!seen.Add(level))
            {
                throw new ArgumentException($"Feature level {level} is named twice.", parameter);
            }
        }

        return [.. levels.Select(level => info[level])];
    }
}
