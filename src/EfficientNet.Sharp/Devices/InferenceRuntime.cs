namespace EfficientNet.Sharp.Devices;

/// <summary>The form of a network a latency measurement runs: what a deployment would ship.</summary>
public enum InferenceRuntime
{
    /// <summary>The network as built, in eval mode under inference mode (BatchNorm separate, NCHW).</summary>
    Eager,

    /// <summary>Its <c>ForInference()</c> copy: BatchNorm folded, activations in place, channels-last (the default).</summary>
    Prepared,
}
