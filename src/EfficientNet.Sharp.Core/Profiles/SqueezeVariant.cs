namespace EfficientNet.Sharp.Profiles;

/// <summary>The two squeeze-and-excitation variants the families use, as <see cref="KernelShape.Variant"/> names them.</summary>
public static class SqueezeVariant
{
    /// <summary>EfficientNet's: SiLU between the convolutions, a sigmoid gate.</summary>
    public const string Sigmoid = "sigmoid";

    /// <summary>MobileNetV3's: ReLU between the convolutions, a hard-sigmoid gate.</summary>
    public const string HardSigmoid = "hard-sigmoid";
}
