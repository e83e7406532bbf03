using EfficientNet.Sharp.Specs;

namespace EfficientNet.Sharp.Analysis;

/// <summary>Computes parameters, multiply-accumulates and activation memory of a network from its spec alone.</summary>
public static class NetworkAnalyzer
{
    /// <summary>Analyses a network at a square input size.</summary>
    /// <param name="spec">The network.</param>
    /// <param name="resolution">Input size in pixels; the spec's own resolution when omitted.</param>
    /// <param name="batchSize">Images per batch, for the memory figures (MACs are reported per image).</param>
    /// <param name="elementBytes">Bytes per tensor element: 4 for float32, 2 for float16 or bfloat16.</param>
    /// <returns>The analysis.</returns>
    /// <exception cref="ArgumentException">The spec is inconsistent.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A size, batch or element size is not positive.</exception>
    public static NetworkAnalysis Analyze(NetworkSpec spec, int? resolution = null, int batchSize = 1, int elementBytes = 4)
    {
        ArgumentNullException.ThrowIfNull(spec);
        int size = resolution ?? spec.Resolution;
        return AnalyzeAt(spec, size, size, batchSize, elementBytes);
    }

    /// <summary>Analyses a network at any input size, square or not.</summary>
    /// <param name="spec">The network.</param>
    /// <param name="height">Input height in pixels (≥ 1).</param>
    /// <param name="width">Input width in pixels (≥ 1).</param>
    /// <param name="batchSize">Images per batch, for the memory figures (MACs are reported per image).</param>
    /// <param name="elementBytes">Bytes per tensor element: 4 for float32, 2 for float16 or bfloat16.</param>
    /// <returns>The analysis.</returns>
    /// <exception cref="ArgumentException">The spec is inconsistent.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A size, batch or element size is not positive.</exception>
    public static NetworkAnalysis AnalyzeAt(NetworkSpec spec, int height, int width, int batchSize = 1, int elementBytes = 4)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(elementBytes);
        spec.Validate();
        var (layers, parts, inputBytes) = ForwardWalk.Run(spec, height, width, batchSize, elementBytes);
        return new NetworkAnalysis
        {
            Spec = spec,
            InputHeight = height,
            InputWidth = width,
            BatchSize = batchSize,
            ElementBytes = elementBytes,
            Layers = layers,
            Parts = parts,
            InputBytes = inputBytes,
        };
    }
}
