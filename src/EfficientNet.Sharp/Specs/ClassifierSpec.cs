namespace EfficientNet.Sharp.Specs;

/// <summary>
/// The classifier after global average pooling: dropout, then a linear layer (<c>classifier.0</c>,
/// <c>classifier.1</c>); or, with <see cref="HiddenChannels"/>, MobileNetV3's linear layer, hard-swish, dropout
/// and linear layer (<c>classifier.0</c> to <c>classifier.3</c>).
/// </summary>
/// <param name="NumClasses">Number of output logits.</param>
/// <param name="Dropout">Dropout probability in [0, 1) applied during training, before the last linear layer.</param>
/// <param name="Initialization">How the linear layers' weights are initialised.</param>
public sealed record ClassifierSpec(int NumClasses, double Dropout, ClassifierInitialization Initialization)
{
    /// <summary>Width of MobileNetV3's hidden linear layer (1280 for Large), or <see langword="null"/> for none.</summary>
    public int? HiddenChannels { get; init; }
}

/// <summary>Initialisation of the classifier's linear layer; the bias always starts at zero.</summary>
public enum ClassifierInitialization
{
    /// <summary>Uniform in ±1/√(out features): torchvision's EfficientNet (and TensorFlow's reference).</summary>
    UniformByOutFeatures,

    /// <summary>Normal with mean 0 and standard deviation 0.01: torchvision's MobileNetV2.</summary>
    Normal,
}
