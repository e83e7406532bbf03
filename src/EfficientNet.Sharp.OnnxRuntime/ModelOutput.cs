namespace EfficientNet.Sharp.OnnxRuntime;

/// <summary>What an exported model outputs (its metadata <c>output</c>).</summary>
public enum ModelOutput
{
    /// <summary>Class scores before the softmax.</summary>
    Logits,

    /// <summary>Class probabilities (exported with the softmax).</summary>
    Probabilities,

    /// <summary>A headless network's pooled features, one vector per image.</summary>
    PooledFeatures,

    /// <summary>A backbone's multi-scale feature maps; the deepest, pooled, is the embedding.</summary>
    FeatureMaps,
}
