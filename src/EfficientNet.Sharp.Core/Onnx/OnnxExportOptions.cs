using EfficientNet.Sharp.Inference;

namespace EfficientNet.Sharp.Onnx;

/// <summary>How <c>OnnxExport</c> writes a network as an ONNX model.</summary>
public sealed record OnnxExportOptions
{
    /// <summary>The lowest ONNX opset the exporter writes.</summary>
    public const int MinOpset = 13;

    /// <summary>The highest ONNX opset the exporter writes (every operator it uses is unchanged up to it).</summary>
    public const int MaxOpset = 21;

    /// <summary>Default options: opset 17, dynamic batch, fixed image size, <c>input</c> → <c>logits</c>.</summary>
    public static OnnxExportOptions Default { get; } = new();

    /// <summary>
    /// The ONNX opset, 13 to 21 (default 17). From 14, hard-swish is ONNX's <c>HardSwish</c>; at 13 it is
    /// written as <c>HardSigmoid</c> × input.
    /// </summary>
    public int Opset { get; init; } = 17;

    /// <summary>Whether the batch dimension is symbolic (<c>batch</c>), so any batch size runs (default true).</summary>
    public bool DynamicBatch { get; init; } = true;

    /// <summary>
    /// Whether height and width are symbolic (<c>height</c>, <c>width</c>), so any image size runs (default
    /// false: the network's resolution). TensorFlow "SAME" padding is then written as
    /// <c>auto_pad = SAME_UPPER</c>, which is TensorFlow's rule; with fixed sizes it is explicit pads.
    /// </summary>
    public bool DynamicImageSize { get; init; }

    /// <summary>The graph input's name (default <c>input</c>): N × C × H × W float32.</summary>
    public string InputName { get; init; } = "input";

    /// <summary>The graph output's name (default <c>logits</c>): N × classes float32.</summary>
    public string OutputName { get; init; } = "logits";

    /// <summary>Whether the output is softmax probabilities instead of logits (default false).</summary>
    public bool IncludeSoftmax { get; init; }

    /// <summary>The producer recorded in the file (default <c>EfficientNet.Sharp</c>).</summary>
    public string ProducerName { get; init; } = "EfficientNet.Sharp";

    /// <summary>The producer's version recorded in the file (default: this library's version).</summary>
    public string? ProducerVersion { get; init; }

    /// <summary>
    /// The preprocessing the weights expect, recorded as JSON in the metadata (<c>preprocessing</c>) so that
    /// a consumer can prepare images from the file alone; omitted when <see langword="null"/>.
    /// </summary>
    public EvalTransform? Transform { get; init; }

    /// <summary>Class names, one per class, recorded in the metadata (<c>labels</c>, one per line); omitted when <see langword="null"/>.</summary>
    public IReadOnlyList<string>? Labels { get; init; }

    /// <summary>More metadata properties to record, for example a model card's fields.</summary>
    public IReadOnlyDictionary<string, string>? Metadata { get; init; }

    /// <summary>
    /// When set, the file is a backbone: its outputs are the feature maps of these levels of
    /// <see cref="Specs.NetworkSpec.FeatureInfo"/>, named <c>feature_{level}</c>, in this order, and it holds no
    /// pooling or classifier (<see cref="OutputName"/> and <see cref="IncludeSoftmax"/> do not apply). Each level
    /// at most once. <see langword="null"/> (the default) writes the classifier's output.
    /// </summary>
    public IReadOnlyList<int>? FeatureLevels { get; init; }

    /// <summary>
    /// Weights beyond this many bytes go to an external data file next to the model (<c>NAME.onnx.data</c>),
    /// as ONNX requires above 2 GB, protobuf's message limit (default 1.9 GB). Only for file exports.
    /// </summary>
    public long ExternalDataThresholdBytes { get; init; } = 1_900_000_000;
}
