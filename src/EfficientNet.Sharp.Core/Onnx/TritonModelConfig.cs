using System.Globalization;
using System.Text;

namespace EfficientNet.Sharp.Onnx;

/// <summary>
/// A Triton Inference Server model configuration (<c>config.pbtxt</c>, Protocol Buffers text format of Triton's
/// <c>ModelConfig</c>) for an exported ONNX image model: the <c>onnxruntime_onnx</c> platform, the batch axis left to
/// Triton (<c>max_batch_size</c>, dimensions without it), dynamic batching with preferred sizes, a CPU or GPU instance
/// group, and the class names in a labels file referenced by the output.
/// </summary>
public sealed record TritonModelConfig
{
    /// <summary>The model's name: the repository folder's name, which clients address.</summary>
    public required string Name { get; init; }

    /// <summary>The model's input tensor name.</summary>
    public required string InputName { get; init; }

    /// <summary>The input's dimensions without the batch axis: channels, height, width (−1 for a symbolic size).</summary>
    public required IReadOnlyList<long> InputDimensions { get; init; }

    /// <summary>The model's output tensor name.</summary>
    public required string OutputName { get; init; }

    /// <summary>The output's dimensions without the batch axis: the classes (or the features).</summary>
    public required IReadOnlyList<long> OutputDimensions { get; init; }

    /// <summary>The labels file beside <c>config.pbtxt</c>, one class name per line; null for none.</summary>
    public string? LabelFileName { get; init; }

    /// <summary>The largest batch Triton forms (default 32).</summary>
    public int MaxBatchSize { get; init; } = 32;

    /// <summary>Batch sizes the dynamic batcher prefers to form (default 4, 8, 16).</summary>
    public IReadOnlyList<int> PreferredBatchSizes { get; init; } = [4, 8, 16];

    /// <summary>How long a request may wait for others to batch with, in microseconds (default 100).</summary>
    public long MaxQueueDelayMicroseconds { get; init; } = 100;

    /// <summary>Whether instances run on the GPU (<c>KIND_GPU</c>) rather than the CPU (<c>KIND_CPU</c>, the default).</summary>
    public bool Gpu { get; init; }

    /// <summary>Instances of the model (default 1).</summary>
    public int InstanceCount { get; init; } = 1;

    /// <summary>The configuration as Triton reads it.</summary>
    /// <exception cref="ArgumentException">A size is out of range or a preferred batch size exceeds <see cref="MaxBatchSize"/>.</exception>
    public string ToText()
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(MaxBatchSize, nameof(MaxBatchSize));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(InstanceCount, nameof(InstanceCount));
        if (PreferredBatchSizes.Any(size => size < 1 || size > MaxBatchSize))
        {
            throw new ArgumentException($"Preferred batch sizes must be 1 to MaxBatchSize ({MaxBatchSize}); got {string.Join(", ", PreferredBatchSizes)}.", nameof(PreferredBatchSizes));
        }

        var text = new StringBuilder();
        text.AppendLine(Invariant($"name: {Quoted(Name)}"));
        text.AppendLine("platform: \"onnxruntime_onnx\"");
        text.AppendLine(Invariant($"max_batch_size: {MaxBatchSize}"));
        text.AppendLine("input [");
        text.AppendLine("  {");
        text.AppendLine(Invariant($"    name: {Quoted(InputName)}"));
        text.AppendLine("    data_type: TYPE_FP32");
        text.AppendLine("    format: FORMAT_NCHW");
        text.AppendLine(Invariant($"    dims: [ {string.Join(", ", InputDimensions)} ]"));
        text.AppendLine("  }");
        text.AppendLine("]");
        text.AppendLine("output [");
        text.AppendLine("  {");
        text.AppendLine(Invariant($"    name: {Quoted(OutputName)}"));
        text.AppendLine("    data_type: TYPE_FP32");
        text.AppendLine(Invariant($"    dims: [ {string.Join(", ", OutputDimensions)} ]"));
        if (LabelFileName is { } labels)
        {
            text.AppendLine(Invariant($"    label_filename: {Quoted(labels)}"));
        }

        text.AppendLine("  }");
        text.AppendLine("]");
        text.AppendLine("dynamic_batching {");
        text.AppendLine(Invariant($"  preferred_batch_size: [ {string.Join(", ", PreferredBatchSizes)} ]"));
        text.AppendLine(Invariant($"  max_queue_delay_microseconds: {MaxQueueDelayMicroseconds}"));
        text.AppendLine("}");
        text.AppendLine("instance_group [");
        text.AppendLine("  {");
        text.AppendLine(Invariant($"    count: {InstanceCount}"));
        text.AppendLine(Invariant($"    kind: {(Gpu ? "KIND_GPU" : "KIND_CPU")}"));
        text.AppendLine("  }");
        text.AppendLine("]");
        return text.ToString();
    }

    /// <summary>A string literal of the text format: quotes and backslashes escaped, line breaks refused.</summary>
    private static string Quoted(string value) =>
        value.AsSpan().ContainsAny('\n', '\r', '\0')
            ? throw new ArgumentException($"'{value}' contains a line break or NUL, which a model configuration cannot hold.", nameof(value))
            : $"\"{value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal)}\"";

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
