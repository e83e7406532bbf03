namespace EfficientNet.Sharp.Onnx;

/// <summary>A float32 tensor as plain data: values in row-major order and the shape.</summary>
internal readonly record struct WeightArray(float[] Values, long[] Shape);

/// <summary>
/// The weights an inference graph needs, by module path (torchvision's names): each convolution with the BatchNorm
/// after it folded in, and the layers with biases of their own (squeeze-and-excitation's convolutions, linear layers).
/// Where they come from — a trained network's state dict, or random values for timing — is the implementation's.
/// </summary>
internal interface IGraphWeights
{
    /// <summary>The convolution at <paramref name="convPath"/> with the BatchNorm at <paramref name="normPath"/> folded in.</summary>
    /// <param name="convPath">The convolution's module path.</param>
    /// <param name="normPath">Its BatchNorm's module path.</param>
    /// <param name="shape">The weight's shape: out, in / groups, k, k.</param>
    /// <param name="epsilon">The BatchNorm's ε.</param>
    /// <returns>The folded weight and its bias (one per output channel).</returns>
    (WeightArray Weight, float[] Bias) FoldedConvolution(string convPath, string normPath, long[] shape, double epsilon);

    /// <summary>A layer with a bias of its own (a 1 × 1 convolution or a linear layer) at <paramref name="path"/>.</summary>
    /// <param name="path">The module path.</param>
    /// <param name="shape">The weight's shape.</param>
    /// <returns>The weight and the bias.</returns>
    (WeightArray Weight, float[] Bias) Biased(string path, long[] shape);
}

/// <summary>
/// Weights from a state dict (name → values): BatchNorm folded as PyTorch's <c>fuse_conv_bn_weights</c> does,
/// w' = w · γ / √(σ² + ε) per output channel and b' = (b − μ) · γ / √(σ² + ε) + β, in double precision. A convolution
/// that already has a bias is taken as folded (a <c>ForInference()</c> copy): its BatchNorm is not applied twice.
/// </summary>
internal sealed class StateDictWeights(IReadOnlyDictionary<string, WeightArray> tensors) : IGraphWeights
{
    private readonly HashSet<string> read = new(StringComparer.Ordinal);

    /// <summary>The tensors no layer of the definition read: weights of modules the spec does not describe.</summary>
    public IEnumerable<string> Unread => tensors.Keys.Where(key => !read.Contains(key));

    public (WeightArray Weight, float[] Bias) FoldedConvolution(string convPath, string normPath, long[] shape, double epsilon)
    {
        WeightArray weight = Get($"{convPath}.weight", shape);
        if (tensors.TryGetValue($"{convPath}.bias", out WeightArray folded))
        {
            // Already folded: the BatchNorm's statistics stay in the state dict but are not applied again.
            read.Add($"{convPath}.bias");
            foreach (string part in new[] { "weight", "bias", "running_mean", "running_var" })
            {
                read.Add($"{normPath}.{part}");
            }

            return (weight, folded.Values);
        }

        float[] gamma = Get($"{normPath}.weight", [shape[0]]).Values, beta = Get($"{normPath}.bias", [shape[0]]).Values;
        float[] mean = Get($"{normPath}.running_mean", [shape[0]]).Values, variance = Get($"{normPath}.running_var", [shape[0]]).Values;
        int outputs = (int)shape[0], perOutput = weight.Values.Length / outputs;
        float[] values = new float[weight.Values.Length], bias = new float[outputs];
        for (int o = 0; o < outputs; o++)
        {
            double scale = gamma[o] / Math.Sqrt(variance[o] + epsilon);
            for (int i = 0; i < perOutput; i++)
            {
                values[(o * perOutput) + i] = (float)(weight.Values[(o * perOutput) + i] * scale);
            }

            bias[o] = (float)((-mean[o] * scale) + beta[o]);
        }

        return (new WeightArray(values, shape), bias);
    }

    public (WeightArray Weight, float[] Bias) Biased(string path, long[] shape) =>
        (Get($"{path}.weight", shape), Get($"{path}.bias", [shape[0]]).Values);

    private WeightArray Get(string name, long[] shape)
    {
        WeightArray found = tensors.TryGetValue(name, out WeightArray value) ? value
            : throw new KeyNotFoundException($"The weights have no '{name}', which the network's definition needs.");
        read.Add(name);
        if (!found.Shape.SequenceEqual(shape))
        {
            throw new InvalidDataException($"'{name}' is [{string.Join(", ", found.Shape)}] but the network's definition needs [{string.Join(", ", shape)}].");
        }

        return found;
    }
}

/// <summary>
/// Random weights for a graph that is only timed (a device profile's kernels, a latency candidate): uniform values with
/// He initialisation's variance, so activations keep their size (uniform rather than normal: a profile draws hundreds of
/// millions of them, and the timing does not depend on the distribution), small biases; seeded, so a graph is the same
/// every time.
/// </summary>
internal sealed class RandomWeights(int seed) : IGraphWeights
{
    private readonly Random random = new(seed);

    public (WeightArray Weight, float[] Bias) FoldedConvolution(string convPath, string normPath, long[] shape, double epsilon) => Biased(convPath, shape);

    public (WeightArray Weight, float[] Bias) Biased(string path, long[] shape)
    {
        long count = shape.Aggregate(1L, (product, size) => product * size);
        long fanIn = count / shape[0];
        float bound = (float)Math.Sqrt(6.0 / Math.Max(1, fanIn)); // U(−b, b) has variance b²/3 = 2 / fan-in
        float[] values = new float[count];
        for (long i = 0; i < count; i++)
        {
            values[i] = ((2 * random.NextSingle()) - 1) * bound;
        }

        float[] bias = new float[shape[0]];
        for (int o = 0; o < bias.Length; o++)
        {
            bias[o] = ((2 * random.NextSingle()) - 1) * 0.01f;
        }

        return (new WeightArray(values, shape), bias);
    }
}
