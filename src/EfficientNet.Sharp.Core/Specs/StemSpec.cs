namespace EfficientNet.Sharp.Specs;

/// <summary>The first convolution of the network (convolution + BN + activation).</summary>
public sealed record StemSpec
{
    /// <summary>Creates the <see cref="StemSpec"/> from each of its values.</summary>
    /// <param name="OutChannels">Output channels of the stem convolution.</param>
    /// <param name="KernelSize">Square kernel size in pixels.</param>
    /// <param name="Stride">Stride of the convolution (2 in every preset).</param>
    /// <param name="Activation">Activation after the batch normalisation.</param>
    public StemSpec(int OutChannels, int KernelSize, int Stride, ActivationKind Activation)
    {
        this.OutChannels = OutChannels;
        this.KernelSize = KernelSize;
        this.Stride = Stride;
        this.Activation = Activation;
    }

    /// <summary>Output channels of the stem convolution.</summary>
    public int OutChannels { get; init; }

    /// <summary>Square kernel size in pixels.</summary>
    public int KernelSize { get; init; }

    /// <summary>Stride of the convolution (2 in every preset).</summary>
    public int Stride { get; init; }

    /// <summary>Activation after the batch normalisation.</summary>
    public ActivationKind Activation { get; init; }
}
