namespace EfficientNet.Sharp.Specs;

/// <summary>The non-linearity applied after a convolution and its batch normalisation.</summary>
public enum ActivationKind
{
    /// <summary>No activation: the layer stays linear (the projection of a linear bottleneck).</summary>
    Identity,

    /// <summary>max(0, x). The MobileNetV1 paper's activation.</summary>
    ReLU,

    /// <summary>min(max(0, x), 6). MobileNetV2, EfficientNet-Lite and TensorFlow's MobileNetV1 releases.</summary>
    ReLU6,

    /// <summary>x · sigmoid(x), also called swish. EfficientNet's activation.</summary>
    SiLU,

    /// <summary>x · ReLU6(x + 3) / 6. MobileNetV3's activation.</summary>
    Hardswish,

    /// <summary>max(0.1 · x, x): leaky ReLU with negative slope 0.1, as RetinaFace's MobileNetV1 backbone and YOLO-style detectors use it.</summary>
    LeakyReLU,
}
