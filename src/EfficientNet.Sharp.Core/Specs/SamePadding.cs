namespace EfficientNet.Sharp.Specs;

/// <summary>
/// TensorFlow's "SAME" padding along one dimension (<see cref="PaddingMode.TensorFlowSame"/>): the output has
/// ⌈size / stride⌉ pixels and the padding that takes is split with the odd pixel after (bottom, right). The one
/// definition the modules, the ONNX writer and the TFLite reader use.
/// </summary>
internal static class SamePadding
{
    /// <summary>Pixels to add before and after; (−1, −1) for a stride below 1 (no valid split).</summary>
    public static (long Before, long After) Split(long size, int kernelSize, int stride)
    {
        if (stride < 1)
        {
            return (-1, -1);
        }

        long output = (size + stride - 1) / stride;
        long total = Math.Max(((output - 1) * stride) + kernelSize - size, 0);
        return (total / 2, total - (total / 2));
    }
}
