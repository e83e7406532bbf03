using System.Runtime.InteropServices;
using EfficientNet.Sharp.TfLite.Schema;

namespace EfficientNet.Sharp.TfLite.Reading;

/// <summary>
/// Turns a constant TFLite tensor into float32 values: float32 as stored, float16 widened, and quantized
/// integers (uint8/int8 weights, int32/int64 biases) dequantized as scale · (q − zero point), per tensor or
/// per channel along the quantized dimension.
/// </summary>
internal static class ConstantTensors
{
    public static float[] ToFloat(TfLiteTensor tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        if (!tensor.IsConstant)
        {
            throw new TfLiteImportException($"{tensor.Describe()} was expected to hold constant weights but has no data.");
        }

        long count = tensor.ElementCount;
        int elementSize = ElementBytes(tensor.Type) ?? throw Unsupported(tensor);
        if (count * elementSize != tensor.Data.Count)
        {
            throw new TfLiteImportException($"{tensor.Describe()} holds {tensor.Data.Count} bytes; its shape and type need {count * elementSize}.");
        }

        byte[] bytes = tensor.Data.ToArray();
        return tensor.Type switch
        {
            TfLiteTensorType.Float32 => MemoryMarshal.Cast<byte, float>(bytes).ToArray(),
            TfLiteTensorType.Float16 => Widen(MemoryMarshal.Cast<byte, Half>(bytes)),
            TfLiteTensorType.UInt8 => Dequantize(tensor, bytes.Length, i => bytes[i]),
            TfLiteTensorType.Int8 => Dequantize(tensor, bytes.Length, i => (sbyte)bytes[i]),
            TfLiteTensorType.Int32 => DequantizeInts(tensor, MemoryMarshal.Cast<byte, int>(bytes).ToArray()),
            TfLiteTensorType.Int64 => DequantizeLongs(tensor, MemoryMarshal.Cast<byte, long>(bytes).ToArray()),
            _ => throw Unsupported(tensor),
        };
    }

    /// <summary>Integer constants used as parameters (the axes of MEAN, a new shape), read without dequantizing.</summary>
    public static long[] ToIntegers(TfLiteTensor tensor)
    {
        byte[] bytes = tensor.Data.ToArray();
        return tensor.Type switch
        {
            TfLiteTensorType.Int32 => [.. MemoryMarshal.Cast<byte, int>(bytes).ToArray().Select(v => (long)v)],
            TfLiteTensorType.Int64 => MemoryMarshal.Cast<byte, long>(bytes).ToArray(),
            _ => throw Unsupported(tensor),
        };
    }

    /// <summary>Bytes per stored element of the types the importer reads, or <see langword="null"/> for the others.</summary>
    public static int? ElementBytes(TfLiteTensorType type) => type switch
    {
        TfLiteTensorType.Float32 or TfLiteTensorType.Int32 => 4,
        TfLiteTensorType.Float16 or TfLiteTensorType.Int16 => 2,
        TfLiteTensorType.UInt8 or TfLiteTensorType.Int8 or TfLiteTensorType.Bool => 1,
        TfLiteTensorType.Int64 => 8,
        _ => null,
    };

    private static float[] Widen(ReadOnlySpan<Half> values)
    {
        var result = new float[values.Length];
        for (int i = 0; i < values.Length; i++)
        {
            result[i] = (float)values[i];
        }

        return result;
    }

    private static float[] DequantizeInts(TfLiteTensor tensor, int[] values) => Dequantize(tensor, values.Length, i => values[i]);

    private static float[] DequantizeLongs(TfLiteTensor tensor, long[] values) => Dequantize(tensor, values.Length, i => values[i]);

    private static float[] Dequantize(TfLiteTensor tensor, int count, Func<int, long> stored)
    {
        TfLiteQuantization q = tensor.Quantization
            ?? throw new TfLiteImportException($"{tensor.Describe()} stores integers without quantization parameters, so its real values are unknown.");
        (int slices, long inner) = SliceLayout(tensor, q);
        var result = new float[count];
        for (int i = 0; i < count; i++)
        {
            int slice = slices == 1 ? 0 : (int)(i / inner % slices);
            double scale = q.Scale[slice];
            long zeroPoint = q.ZeroPoint[q.ZeroPoint.Length == 1 ? 0 : slice];
            result[i] = (float)(scale * (stored(i) - zeroPoint));
        }

        return result;
    }

    /// <summary>How many per-channel slices there are and how many consecutive elements each slice step spans.</summary>
    private static (int Slices, long Inner) SliceLayout(TfLiteTensor tensor, TfLiteQuantization q)
    {
        if (q.IsPerTensor)
        {
            return (1, 1);
        }

        int dimension = q.Dimension;
        if (dimension < 0 || dimension >= tensor.Shape.Length || tensor.Shape[dimension] != q.Scale.Length
            || (q.ZeroPoint.Length != 1 && q.ZeroPoint.Length != q.Scale.Length))
        {
            throw new TfLiteImportException(
                $"{tensor.Describe()} has {q.Scale.Length} scales and {q.ZeroPoint.Length} zero points along dimension {dimension}, which does not match its shape.");
        }

        long inner = tensor.Shape.Skip(dimension + 1).Aggregate(1L, (product, d) => product * d);
        return (q.Scale.Length, inner);
    }

    private static TfLiteImportException Unsupported(TfLiteTensor tensor) =>
        new($"{tensor.Describe()}: element type {tensor.Type} is not supported for weights.");
}
