namespace EfficientNet.Sharp.Specs;

/// <summary>The 1×1 convolution (+ BN + activation) between the last stage and the global pooling.</summary>
public sealed record HeadSpec
{
    /// <summary>Creates the <see cref="HeadSpec"/> from each of its values.</summary>
    /// <param name="OutChannels">Output channels of the head convolution: the width of the pooled feature vector.</param>
    /// <param name="Activation">Activation after the batch normalisation.</param>
    public HeadSpec(int OutChannels, ActivationKind Activation)
    {
        this.OutChannels = OutChannels;
        this.Activation = Activation;
    }

    /// <summary>Output channels of the head convolution: the width of the pooled feature vector.</summary>
    public int OutChannels { get; init; }

    /// <summary>Activation after the batch normalisation.</summary>
    public ActivationKind Activation { get; init; }

    /// <summary>
    /// Whether the head's output is the last feature level (<see cref="NetworkSpec.FeatureInfo"/>) instead of the
    /// last block's: timm builds MobileNetV3's head convolution as the last stage of its blocks, so its backbones
    /// end with 960 (Large) or 576 (Small) channels; EfficientNet's and MobileNetV2's heads are not levels.
    /// </summary>
    public bool IsFeatureLevel { get; init; }
}
