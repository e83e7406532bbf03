namespace EfficientNet.Sharp.Specs;

/// <summary>The classifier after global average pooling: dropout, then a linear layer.</summary>
/// <param name="NumClasses">Number of output logits.</param>
/// <param name="Dropout">Dropout probability in [0, 1) applied to the pooled features during training.</param>
/// <param name="Initialization">How the linear layer's weights are initialised.</param>
public sealed record ClassifierSpec(int NumClasses, double Dropout, ClassifierInitialization Initialization);

/// <summary>Initialisation of the classifier's linear layer; the bias always starts at zero.</summary>
public enum ClassifierInitialization
{
    /// <summary>Uniform in ±1/√(out features): torchvision's EfficientNet (and TensorFlow's reference).</summary>
    UniformByOutFeatures,

    /// <summary>Normal with mean 0 and standard deviation 0.01: torchvision's MobileNetV2.</summary>
    Normal,
}
