using EfficientNet.Sharp.TfLite.Schema;

namespace EfficientNet.Sharp.TfLite.Reading;

/// <summary>A tensor of a TFLite subgraph: an activation (no data) or a constant (weights, biases, shapes).</summary>
/// <param name="Index">Position in the subgraph's tensor list, as operators refer to it.</param>
/// <param name="Name">The tensor's name in the file (TensorFlow's variable or op name).</param>
/// <param name="Shape">Dimensions (NHWC for activations; [out, kh, kw, in] for convolution filters).</param>
/// <param name="Type">Element type of the stored values.</param>
/// <param name="Data">The constant's bytes (a view of the file), empty for activations.</param>
/// <param name="Quantization">Affine quantization of the stored values, if any.</param>
internal sealed record TfLiteTensor(int Index, string Name, int[] Shape, TfLiteTensorType Type, ArraySegment<byte> Data, TfLiteQuantization? Quantization)
{
    public bool IsConstant => Data.Count > 0;

    /// <summary>The number of elements; the reader has checked that the product fits (see TfLiteGraph).</summary>
    public long ElementCount => Shape.Aggregate(1L, (product, d) => checked(product * d));

    public string Describe() => $"tensor {Index} '{Name}' [{string.Join(", ", Shape)}] {Type}";
}

/// <summary>real = scale · (stored − zero point), per tensor or per slice along one dimension.</summary>
/// <param name="Scale">One scale, or one per slice along <paramref name="Dimension"/>.</param>
/// <param name="ZeroPoint">One zero point, or one per slice.</param>
/// <param name="Dimension">The dimension the per-slice parameters run along.</param>
internal sealed record TfLiteQuantization(float[] Scale, long[] ZeroPoint, int Dimension)
{
    public bool IsPerTensor => Scale.Length == 1;
}
