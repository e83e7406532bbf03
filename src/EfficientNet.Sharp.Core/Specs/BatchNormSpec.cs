namespace EfficientNet.Sharp.Specs;

/// <summary>Batch normalisation settings shared by every BatchNorm layer of a network.</summary>
public sealed record BatchNormSpec
{
    /// <summary>Creates the <see cref="BatchNormSpec"/> from each of its values.</summary>
    /// <param name="Epsilon">Added to the variance before the square root; matters at inference, so it must match the weights' source.</param>
    /// <param name="Momentum">PyTorch convention: the weight of the new batch statistic in the running average (1 − TensorFlow's decay).</param>
    public BatchNormSpec(double Epsilon, double Momentum)
    {
        this.Epsilon = Epsilon;
        this.Momentum = Momentum;
    }

    /// <summary>Added to the variance before the square root; matters at inference, so it must match the weights' source.</summary>
    public double Epsilon { get; init; }

    /// <summary>PyTorch convention: the weight of the new batch statistic in the running average (1 − TensorFlow's decay).</summary>
    public double Momentum { get; init; }

    /// <summary>PyTorch's defaults (ε = 1e-5, momentum 0.1): torchvision MobileNetV2 and EfficientNet-B0…B4.</summary>
    public static BatchNormSpec PyTorchDefault { get; } = new(1e-5, 0.1);

    /// <summary>
    /// TensorFlow's settings expressed in PyTorch's convention (ε = 1e-3, momentum 0.01): torchvision's
    /// EfficientNet-B5…B7, whose weights were ported from TensorFlow checkpoints.
    /// </summary>
    public static BatchNormSpec TensorFlowPorted { get; } = new(1e-3, 0.01);
}
