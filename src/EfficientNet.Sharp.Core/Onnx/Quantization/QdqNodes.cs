using System.Runtime.InteropServices;
using EfficientNet.Sharp.Onnx.Protobuf;
using G = EfficientNet.Sharp.Onnx.OnnxGraph;

namespace EfficientNet.Sharp.Onnx.Quantization;

/// <summary>
/// Writes ONNX's quantize-dequantize (QDQ) form: a quantized activation is <c>QuantizeLinear</c> then
/// <c>DequantizeLinear</c>, a quantized weight is an 8-bit initializer behind <c>DequantizeLinear</c>, a bias is int32
/// at the scale input scale × weight scale. ONNX Runtime recognises DQ → operator → Q and runs the operator's
/// integer kernel (QLinearConv, QLinearAdd, …); any other runtime computes the same values in float.
/// </summary>
internal sealed class QdqNodes(OnnxGraph graph)
{
    /// <summary>The activation <paramref name="input"/> rounded to its 8-bit grid: Q then DQ; returns the DQ's output.</summary>
    public string QuantizeDequantize(string name, string input, ActivationQuantization quantization)
    {
        string scale = graph.Scalar($"{name}.scale", quantization.Scale);
        string zeroPoint = ZeroPoint($"{name}.zero_point", [], [quantization.ZeroPoint], quantization.Signed);
        string quantized = graph.Node("QuantizeLinear", $"{name}.quantize", [input, scale, zeroPoint]);
        return graph.Node("DequantizeLinear", $"{name}.dequantize", [quantized, scale, zeroPoint]);
    }

    /// <summary>The weight stored in 8 bits behind a <c>DequantizeLinear</c> (per channel along axis 0 when it has a scale per channel); returns the DQ's output.</summary>
    public string Weight(string name, WeightArray weight, WeightQuantization quantization)
    {
        int channels = (int)weight.Shape[0], perChannel = weight.Values.Length / channels;
        if (quantization.Scales.Length is not 1 && quantization.Scales.Length != channels)
        {
            throw new ArgumentException($"'{name}' has {channels} output channels but {quantization.Scales.Length} scales.", nameof(quantization));
        }

        byte[] stored = new byte[weight.Values.Length];
        int low = quantization.Signed ? -127 : 0, high = quantization.Signed ? 127 : 255;
        for (int c = 0; c < channels; c++)
        {
            int slice = quantization.PerChannel ? c : 0;
            float scale = quantization.Scales[slice];
            int zeroPoint = quantization.ZeroPoints[slice];
            for (int i = c * perChannel; i < (c + 1) * perChannel; i++)
            {
                int value = Math.Clamp((int)MathF.Round(weight.Values[i] / scale, MidpointRounding.ToEven) + zeroPoint, low, high);
                stored[i] = unchecked((byte)value);
            }
        }

        string values = graph.Initializer($"{name}_quantized", weight.Shape, quantization.Signed ? TensorProto.Types.DataType.Int8 : TensorProto.Types.DataType.Uint8, stored);
        long[] parameterShape = quantization.PerChannel ? [channels] : [];
        string scales = graph.Initializer($"{name}_scale", parameterShape, quantization.Scales);
        string zeroPoints = ZeroPoint($"{name}_zero_point", parameterShape, quantization.ZeroPoints, quantization.Signed);
        return graph.Node("DequantizeLinear", name, [values, scales, zeroPoints], PerChannelAxis(quantization));
    }

    /// <summary>
    /// The bias as int32 at scale input scale × weight scale, behind a <c>DequantizeLinear</c>: the form ONNX Runtime's
    /// integer kernels add to their int32 accumulators; returns the DQ's output.
    /// </summary>
    public string Bias(string name, float[] bias, float inputScale, WeightQuantization weight)
    {
        float[] scales = new float[weight.PerChannel ? bias.Length : 1];
        for (int c = 0; c < scales.Length; c++)
        {
            scales[c] = inputScale * weight.Scales[c];
        }

        int[] stored = new int[bias.Length];
        for (int c = 0; c < bias.Length; c++)
        {
            double value = Math.Round(bias[c] / (double)scales[weight.PerChannel ? c : 0], MidpointRounding.ToEven);
            stored[c] = (int)Math.Clamp(value, int.MinValue, int.MaxValue);
        }

        string values = graph.Initializer($"{name}_quantized", [bias.Length], TensorProto.Types.DataType.Int32, MemoryMarshal.AsBytes(stored.AsSpan()).ToArray());
        long[] parameterShape = weight.PerChannel ? [bias.Length] : [];
        string scale = graph.Initializer($"{name}_scale", parameterShape, scales);
        string zeroPoint = graph.Initializer($"{name}_zero_point", parameterShape, TensorProto.Types.DataType.Int32, new byte[4 * scales.Length]);
        return graph.Node("DequantizeLinear", name, [values, scale, zeroPoint], PerChannelAxis(weight));
    }

    private string ZeroPoint(string name, long[] shape, int[] zeroPoints, bool signed) =>
        graph.Initializer(name, shape, signed ? TensorProto.Types.DataType.Int8 : TensorProto.Types.DataType.Uint8, [.. zeroPoints.Select(z => unchecked((byte)z))]);

    private static AttributeProto[] PerChannelAxis(WeightQuantization quantization) =>
        quantization.PerChannel ? [G.Int("axis", 0)] : [];
}
