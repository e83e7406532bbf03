namespace EfficientNet.Sharp.Planning;

/// <summary>Which dimensions a planner scales. Compound is EfficientNet's answer; the others are there to compare against it.</summary>
public enum ScalingMode
{
    /// <summary>Width, depth and resolution together: the builder's φ family (the published ladder, extended below B0 and above B7).</summary>
    Compound,

    /// <summary>Width only, from B0: w = 2^(φ/2), so each unit of φ roughly doubles the multiply-accumulates as in the compound family.</summary>
    WidthOnly,

    /// <summary>Depth only, from B0: d = 2^φ.</summary>
    DepthOnly,

    /// <summary>Resolution only, from B0: r = 2^(φ/2) (224 · r pixels, rounded to a multiple of 4).</summary>
    ResolutionOnly,
}
