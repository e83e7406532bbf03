namespace EfficientNet.Sharp.Onnx.Int8;

/// <summary>
/// How a calibrated int8 file stores its weights (symmetric, one scale per output channel, in every format). The choice
/// is between speed and exactness on x64 CPUs without VNNI (AVX2 only), where ONNX Runtime multiplies uint8 activations
/// by int8 weights with an instruction that adds pairs of products in 16 bits and saturates.
/// </summary>
public enum Int8WeightFormat
{
    /// <summary>
    /// int8 with 7 bits of range (−63…63), as ONNX Runtime's quantizer does with <c>reduce_range</c> for such CPUs: the
    /// pairs cannot saturate, so the fast uint8 × int8 kernels compute exactly what the file specifies, on every CPU.
    /// One bit of weight precision is the price. The default.
    /// </summary>
    ReducedRange,

    /// <summary>int8 with the full range (−127…127): the most precise and, with VNNI or on ARM, as fast and exact; on an AVX2-only CPU the fused kernels saturate and drift from the file's values.</summary>
    Full,

    /// <summary>uint8 around a zero point of 128 (−127…127 shifted): the full range, exact on every CPU, but ONNX Runtime's uint8 × uint8 kernels are slower than its uint8 × int8 ones.</summary>
    Unsigned,
}
