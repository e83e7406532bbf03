namespace EfficientNet.Sharp.Specs;

/// <summary>The numbers that define an <see cref="ActivationKind"/>, read by the modules and the ONNX writer alike.</summary>
internal static class ActivationKinds
{
    /// <summary>The negative slope of <see cref="ActivationKind.LeakyReLU"/> (YOLO-style detectors' backbones use 0.1).</summary>
    public const double LeakyReLUSlope = 0.1;
}
