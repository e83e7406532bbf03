namespace EfficientNet.Sharp.Specs;

/// <summary>
/// The classifier after global average pooling: dropout, then a linear layer (<c>classifier.0</c>,
/// <c>classifier.1</c>); or, with <see cref="HiddenChannels"/>, MobileNetV3's linear layer, hard-swish, dropout
/// and linear layer (<c>classifier.0</c> to <c>classifier.3</c>).
/// </summary>
public sealed record ClassifierSpec
{
    /// <summary>Creates the <see cref="ClassifierSpec"/> from each of its values.</summary>
    /// <param name="NumClasses">
    /// Number of output logits; 0 for a headless network (a feature extractor), which has no classifier layers
    /// at all and returns the pooled features (see <see cref="IsHeadless"/>).
    /// </param>
    /// <param name="Dropout">Dropout probability in [0, 1) applied during training, before the last linear layer.</param>
    /// <param name="Initialization">How the linear layers' weights are initialised.</param>
    public ClassifierSpec(int NumClasses, double Dropout, ClassifierInitialization Initialization)
    {
        this.NumClasses = NumClasses;
        this.Dropout = Dropout;
        this.Initialization = Initialization;
    }

    /// <summary>
    /// Number of output logits; 0 for a headless network (a feature extractor), which has no classifier layers
    /// at all and returns the pooled features (see <see cref="IsHeadless"/>).
    /// </summary>
    public int NumClasses { get; init; }

    /// <summary>Dropout probability in [0, 1) applied during training, before the last linear layer.</summary>
    public double Dropout { get; init; }

    /// <summary>How the linear layers' weights are initialised.</summary>
    public ClassifierInitialization Initialization { get; init; }

    /// <summary>Width of MobileNetV3's hidden linear layer (1280 for Large), or <see langword="null"/> for none.</summary>
    public int? HiddenChannels { get; init; }

    /// <summary>
    /// Whether the network has no classifier (<see cref="NumClasses"/> is 0), as timm's <c>num_classes=0</c>:
    /// it ends with global average pooling and returns N × <see cref="NetworkSpec.FeatureChannels"/> features.
    /// <see cref="Dropout"/> and <see cref="HiddenChannels"/> then have no layers to apply to.
    /// </summary>
    public bool IsHeadless => NumClasses == 0;
}

/// <summary>Initialisation of the classifier's linear layer; the bias always starts at zero.</summary>
public enum ClassifierInitialization
{
    /// <summary>Uniform in ±1/√(out features): torchvision's EfficientNet (and TensorFlow's reference).</summary>
    UniformByOutFeatures,

    /// <summary>Normal with mean 0 and standard deviation 0.01: torchvision's MobileNetV2.</summary>
    Normal,
}
