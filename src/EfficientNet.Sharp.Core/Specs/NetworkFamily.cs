namespace EfficientNet.Sharp.Specs;

/// <summary>The architecture family a <see cref="NetworkSpec"/> belongs to.</summary>
public enum NetworkFamily
{
    /// <summary>MobileNetV1 (Howard et al., 2017): depthwise-separable convolutions.</summary>
    MobileNetV1,

    /// <summary>MobileNetV2 (Sandler et al., 2018): inverted residuals and linear bottlenecks.</summary>
    MobileNetV2,

    /// <summary>EfficientNet (Tan and Le, 2019): MBConv blocks scaled by the compound coefficient φ.</summary>
    EfficientNet,

    /// <summary>
    /// EfficientNet-Lite (Google, 2020): EfficientNet for mobile accelerators — no squeeze-and-excitation,
    /// ReLU6, and a stem, head and first and last stage that do not scale.
    /// </summary>
    EfficientNetLite,

    /// <summary>MobileNetV3 Large and Small (Howard et al., 2019): searched bottlenecks, hard-swish, squeeze-and-excitation.</summary>
    MobileNetV3,

    /// <summary>EfficientNetV2 S, M and L (Tan and Le, 2021): fused MBConv in the early stages, MBConv later.</summary>
    EfficientNetV2,
}
