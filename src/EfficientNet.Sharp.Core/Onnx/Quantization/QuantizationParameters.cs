namespace EfficientNet.Sharp.Onnx.Quantization;

/// <summary>
/// How one activation tensor is stored in 8 bits: real = <see cref="Scale"/> · (stored − <see cref="ZeroPoint"/>),
/// one scale and zero point for the whole tensor (ONNX Runtime's int8 kernels take activations per tensor).
/// </summary>
/// <param name="Scale">The step between neighbouring stored values, in the tensor's real unit; positive.</param>
/// <param name="ZeroPoint">The stored value of real 0: 0…255 for uint8, −128…127 for int8.</param>
/// <param name="Signed">int8 when true, uint8 when false.</param>
internal sealed record ActivationQuantization(float Scale, int ZeroPoint, bool Signed);

/// <summary>
/// How a weight tensor is stored in 8 bits: one scale and zero point for the whole tensor, or one per output channel
/// (the first axis in ONNX's layouts: a convolution's [out, in / groups, k, k], a linear layer's [out, in]).
/// </summary>
/// <param name="Scales">One scale, or one per output channel; positive.</param>
/// <param name="ZeroPoints">One zero point, or one per output channel.</param>
/// <param name="Signed">int8 when true, uint8 when false.</param>
internal sealed record WeightQuantization(float[] Scales, int[] ZeroPoints, bool Signed)
{
    public bool PerChannel => Scales.Length > 1;

    /// <summary>Symmetric int8 per output channel with the range −127…127 (TensorFlow's and ONNX Runtime's convention for weights, which keeps −128 out so a product never overflows the VNNI path).</summary>
    public static WeightQuantization SymmetricPerChannel(WeightArray weight)
    {
        int outputs = (int)weight.Shape[0], perOutput = weight.Values.Length / outputs;
        float[] scales = new float[outputs];
        for (int o = 0; o < outputs; o++)
        {
            float largest = 0;
            foreach (float value in weight.Values.AsSpan(o * perOutput, perOutput))
            {
                largest = Math.Max(largest, Math.Abs(value));
            }

            // An all-zero channel still needs a positive scale; any will do, every value stores as 0.
            scales[o] = largest > 0 ? largest / sbyte.MaxValue : 1f;
        }

        return new WeightQuantization(scales, new int[outputs], Signed: true);
    }
}
