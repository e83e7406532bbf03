namespace EfficientNet.Sharp.Onnx.Quantization;

/// <summary>
/// Where an inference graph is quantized and how: the 8-bit parameters of the activations at each quantization
/// point (<see cref="QuantizationPoints"/>) and of each layer's weights. A point or layer without parameters stays
/// float32 — a float island, such as a squeeze-and-excitation gate that quantizes badly. The graph writer asks; the
/// plan answers from a quantized file's own parameters or from calibration.
/// </summary>
internal interface IQuantizationPlan
{
    /// <summary>The quantization of the activation at <paramref name="point"/>, or <see langword="null"/> to keep it float.</summary>
    /// <param name="point">A key from <see cref="QuantizationPoints"/>.</param>
    /// <returns>The parameters, or <see langword="null"/>.</returns>
    ActivationQuantization? Activation(string point);

    /// <summary>The quantization of the weights of the layer at <paramref name="path"/>, or <see langword="null"/> to keep them float.</summary>
    /// <param name="path">The layer's module path (a convolution or linear layer).</param>
    /// <param name="weight">The float weights, folded, in ONNX's layout.</param>
    /// <returns>The parameters, or <see langword="null"/>.</returns>
    WeightQuantization? Weight(string path, WeightArray weight);
}
