namespace EfficientNet.Sharp.Specs;

/// <summary>The building block that a stage repeats.</summary>
public enum BlockKind
{
    /// <summary>
    /// MobileNetV1's depthwise-separable convolution: k×k depthwise + BN + activation, then
    /// 1×1 pointwise + BN + activation. No residual connection.
    /// </summary>
    DepthwiseSeparable,

    /// <summary>
    /// MobileNetV2's inverted residual: optional 1×1 expansion + BN + activation, k×k depthwise + BN +
    /// activation, linear 1×1 projection + BN; residual when stride is 1 and channels are unchanged.
    /// Hidden channels are round(in · expand ratio), as in torchvision's MobileNetV2.
    /// </summary>
    InvertedResidual,

    /// <summary>
    /// EfficientNet's mobile inverted bottleneck: optional 1×1 expansion, k×k depthwise,
    /// squeeze-and-excitation, linear 1×1 projection, and stochastic depth on the residual.
    /// Expanded channels are rounded to a multiple of 8, as in torchvision's EfficientNet.
    /// </summary>
    MBConv,

    /// <summary>
    /// MobileNetV3's bottleneck (torchvision's <c>mobilenetv3.InvertedResidual</c>): optional 1×1 expansion,
    /// k×k depthwise, optional squeeze-and-excitation with a ReLU inside, a hard-sigmoid gate and
    /// ⌊expanded / 4⌋ rounded to a multiple of 8 squeeze channels, then a linear 1×1 projection; residual when
    /// stride is 1 and channels are unchanged; no stochastic depth. The block's own activation is ReLU or
    /// hard-swish. Expanded channels are round(in · expand ratio): the presets give each block's count exactly.
    /// </summary>
    MobileNetV3,

    /// <summary>
    /// EfficientNetV2's fused MBConv: a k×k convolution (with the stride) to the expanded channels + BN + SiLU and a
    /// linear 1×1 projection + BN; without expansion, one k×k convolution + BN + SiLU. No depthwise convolution, no
    /// squeeze-and-excitation; residual with stochastic depth when stride is 1 and channels are unchanged.
    /// Expanded channels are rounded to a multiple of 8, as in torchvision's EfficientNet.
    /// </summary>
    FusedMBConv,
}
