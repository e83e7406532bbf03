namespace EfficientNet.Sharp.Specs;

/// <summary>The first convolution of the network (convolution + BN + activation).</summary>
/// <param name="OutChannels">Output channels of the stem convolution.</param>
/// <param name="KernelSize">Square kernel size in pixels.</param>
/// <param name="Stride">Stride of the convolution (2 in every preset).</param>
/// <param name="Activation">Activation after the batch normalisation.</param>
public sealed record StemSpec(int OutChannels, int KernelSize, int Stride, ActivationKind Activation);
