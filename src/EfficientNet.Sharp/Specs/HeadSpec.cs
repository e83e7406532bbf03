namespace EfficientNet.Sharp.Specs;

/// <summary>The 1×1 convolution (+ BN + activation) between the last stage and the global pooling.</summary>
/// <param name="OutChannels">Output channels of the head convolution: the width of the pooled feature vector.</param>
/// <param name="Activation">Activation after the batch normalisation.</param>
public sealed record HeadSpec(int OutChannels, ActivationKind Activation);
