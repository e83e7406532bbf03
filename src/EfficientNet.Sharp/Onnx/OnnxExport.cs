using EfficientNet.Sharp.Inference;
using EfficientNet.Sharp.Models;
using EfficientNet.Sharp.Onnx.Protobuf;
using EfficientNet.Sharp.Onnx.Quantization;
using EfficientNet.Sharp.Specs;
using EfficientNet.Sharp.TfLite;
using Google.Protobuf;
using TorchSharp;
using static TorchSharp.torch;

namespace EfficientNet.Sharp.Onnx;

/// <summary>
/// Writes networks as ONNX models, for ONNX Runtime (CPU, CUDA, DirectML, CoreML, …), ML.NET and ONNX-based
/// servers: <c>network.ExportOnnx("b0.onnx")</c>. The graph is the inference graph (BatchNorm folded,
/// dropout and stochastic depth left out), the weights are float32 initializers, and the metadata records
/// the architecture and, when given, the preprocessing and class names.
/// </summary>
// RS0026 (several overloads with optional parameters): the overloads differ by destination (path or
// stream) and network kind, and every one ends with the same optional options record, which is where new
// settings go; no overload will gain another optional parameter.
#pragma warning disable RS0026
public static class OnnxExport
{
    /// <summary>
    /// Writes the network to an ONNX file, atomically: a temporary file is renamed into place when complete. Weights
    /// over <see cref="OnnxExportOptions.ExternalDataThresholdBytes"/> go to a data file beside it named after their
    /// hash, so the model can never be paired with another export's weights.
    /// </summary>
    /// <param name="network">The network; its evaluation behaviour is exported (running BatchNorm statistics, no dropout).</param>
    /// <param name="path">The file to write; an existing regular file is replaced, anything else (a directory, symbolic link, device) is refused.</param>
    /// <param name="options">How to write it; <see cref="OnnxExportOptions.Default"/> when omitted.</param>
    /// <param name="cancellationToken">Checked before each file is renamed into place: a cancelled export leaves the old files as they were.</param>
    /// <returns>What was written.</returns>
    /// <exception cref="ArgumentException">An option is invalid (an opset outside 13–21, empty or equal input and output names, labels that do not match the classes, a label with a line break, a metadata key the exporter writes itself).</exception>
    /// <exception cref="NotSupportedException">The network holds a module the exporter does not know.</exception>
    /// <exception cref="IOException">The file cannot be written; nothing is left behind.</exception>
    /// <exception cref="OperationCanceledException">Cancelled; the old files are untouched.</exception>
    public static OnnxExportReport ExportOnnx(this ConvNetwork network, string path, OnnxExportOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        options ??= OnnxExportOptions.Default;
        (ModelProto model, OnnxExportReport report) = Build(network, options);
        (string full, string? externalData, long bytes) = OnnxFile.Write(model, path, options.ExternalDataThresholdBytes, cancellationToken);
        return report with { Path = full, ExternalDataPath = externalData, Bytes = bytes };
    }

    /// <summary>Writes the network as an ONNX model to a stream.</summary>
    /// <param name="network">The network.</param>
    /// <param name="stream">Where to write; it is left open.</param>
    /// <param name="options">How to write it; <see cref="OnnxExportOptions.Default"/> when omitted.</param>
    /// <returns>What was written.</returns>
    /// <exception cref="ArgumentException">An option is invalid.</exception>
    /// <exception cref="NotSupportedException">The network holds a module the exporter does not know.</exception>
    /// <exception cref="InvalidOperationException">The weights exceed <see cref="OnnxExportOptions.ExternalDataThresholdBytes"/>, which needs an external data file: export to a path instead.</exception>
    public static OnnxExportReport ExportOnnx(this ConvNetwork network, Stream stream, OnnxExportOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(stream);
        options ??= OnnxExportOptions.Default;
        (ModelProto model, OnnxExportReport report) = Build(network, options);
        long weights = OnnxFile.WeightBytes(model);
        if (weights > options.ExternalDataThresholdBytes)
        {
            throw new InvalidOperationException($"The weights take {weights:N0} bytes, over the {options.ExternalDataThresholdBytes:N0} that fit inside one ONNX file: export to a path, which writes them to an external data file.");
        }

        byte[] bytes = model.ToByteArray();
        stream.Write(bytes);
        return report with { Bytes = bytes.Length };
    }

    /// <summary>Writes the network a prepared copy runs (see <see cref="ExportOnnx(ConvNetwork, string, OnnxExportOptions?, CancellationToken)"/>).</summary>
    /// <param name="network">The prepared copy; its folded weights are exported.</param>
    /// <param name="path">The file to write.</param>
    /// <param name="options">How to write it.</param>
    /// <returns>What was written.</returns>
    public static OnnxExportReport ExportOnnx(this InferenceNetwork network, string path, OnnxExportOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(network);
        return network.Network.ExportOnnx(path, options);
    }

    /// <summary>Writes the network a prepared copy runs to a stream.</summary>
    /// <param name="network">The prepared copy.</param>
    /// <param name="stream">Where to write; it is left open.</param>
    /// <param name="options">How to write it.</param>
    /// <returns>What was written.</returns>
    public static OnnxExportReport ExportOnnx(this InferenceNetwork network, Stream stream, OnnxExportOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(network);
        return network.Network.ExportOnnx(stream, options);
    }

    /// <summary>
    /// Writes a quantized TFLite file as an int8 ONNX file in QDQ form that keeps the file's own scales and zero
    /// points — per tensor or per channel, uint8 or int8 — so ONNX Runtime runs its integer kernels on the values
    /// TensorFlow Lite computes. The input stays float32 NCHW with the name, shape and preprocessing metadata of the
    /// float export (its first operator rounds it onto the file's input grid): a drop-in replacement for
    /// <c>OnnxClassifier</c> and <c>effnet classify --onnx</c>. Squeeze-and-excitation's inner layers stay float.
    /// </summary>
    /// <param name="model">The imported file; <see cref="TfLiteModel.IsFullyQuantized"/> must be true.</param>
    /// <param name="path">The file to write, atomically (see <see cref="ExportOnnx(ConvNetwork, string, OnnxExportOptions?, CancellationToken)"/>).</param>
    /// <param name="options">How to write it; <see cref="OnnxExportOptions.Default"/> when omitted.</param>
    /// <param name="cancellationToken">Checked before the file is renamed into place.</param>
    /// <returns>What was written; <see cref="OnnxExportReport.Quantization"/> says how.</returns>
    /// <exception cref="InvalidOperationException">The file does not compute in 8 bits (float or 16-bit activations, float weights); the message says where.</exception>
    /// <exception cref="ArgumentException">An option is invalid.</exception>
    /// <exception cref="IOException">The file cannot be written; nothing is left behind.</exception>
    public static OnnxExportReport ExportInt8Onnx(this TfLiteModel model, string path, OnnxExportOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (model.Int8Plan is not { } plan)
        {
            throw new InvalidOperationException($"'{model.Source}' is not an 8-bit quantized model ({model.WhyNotInt8}): export it as float, or quantize it with calibration images.");
        }

        options ??= OnnxExportOptions.Default;
        (ModelProto onnx, OnnxExportReport report) = Build(model.Network, options, plan);
        (string full, string? externalData, long bytes) = OnnxFile.Write(onnx, path, options.ExternalDataThresholdBytes, cancellationToken);
        return report with { Path = full, ExternalDataPath = externalData, Bytes = bytes, Quantization = plan.Description };
    }

    private static (ModelProto Model, OnnxExportReport Report) Build(ConvNetwork network, OnnxExportOptions options, IQuantizationPlan? quantization = null)
    {
        (StateDictWeights weights, OnnxExportOptions prepared) = Prepare(network, options);
        (ModelProto model, OnnxExportReport report) = OnnxModel.Build(network.Spec, weights, prepared, quantization);
        ThrowIfUnread(network, weights, prepared);
        return (model, report);
    }

    /// <summary>
    /// What every export of a network starts from: the network checked (not disposed, its <c>features</c> the spec's),
    /// its weights as arrays, and the options completed with what the network knows. Float and int8 exports share it, so
    /// both refuse what the other refuses.
    /// </summary>
    internal static (StateDictWeights Weights, OnnxExportOptions Options) Prepare(ConvNetwork network, OnnxExportOptions options)
    {
        network.ThrowIfDisposed();
        CheckFeaturesAreTheSpecs(network);
        return (StateDictOf(network), WithWhatTheNetworkKnows(options, network));
    }

    /// <summary>
    /// Refuses weights a written graph did not read. The graph is written from the spec's definition: a weighted module the
    /// spec does not describe would otherwise be left out silently. (A backbone export stops at its deepest level, so what
    /// lies beyond is rightly unread.)
    /// </summary>
    internal static void ThrowIfUnread(ConvNetwork network, StateDictWeights weights, OnnxExportOptions options)
    {
        if (options.FeatureLevels is null && weights.Unread.FirstOrDefault() is { } extra)
        {
            string module = extra.Contains('.', StringComparison.Ordinal) ? extra[..extra.LastIndexOf('.')] : extra;
            throw new NotSupportedException($"The ONNX exporter does not know '{module}' (tensor '{extra}'): it is not part of {network.Spec.Name}'s definition, which the exporter writes.");
        }
    }

    /// <summary>The children of <c>features</c> must be the spec's (stem, blocks or stages, head): a module added to them is refused with its path and type.</summary>
    internal static void CheckFeaturesAreTheSpecs(ConvNetwork network)
    {
        NetworkSpec spec = network.Spec;
        int expected = spec.Head is null ? ModulePaths.HeadChild(spec) : ModulePaths.HeadChild(spec) + 1;
        int index = 0;
        foreach ((string name, nn.Module module) in network.Features.named_children())
        {
            if (index >= expected || name != index.ToString(System.Globalization.CultureInfo.InvariantCulture))
            {
                throw new NotSupportedException($"The ONNX exporter does not know module 'features.{name}' ({module.GetType().FullName}): {spec.Name}'s definition has {expected} children of features, which the exporter writes.");
            }

            index++;
        }
    }

    /// <summary>The network's parameters and buffers as float32 arrays, by name: what the graph writer folds and writes.</summary>
    internal static StateDictWeights StateDictOf(ConvNetwork network)
    {
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        var arrays = new Dictionary<string, WeightArray>(StringComparer.Ordinal);
        foreach ((string name, Tensor tensor) in network.state_dict())
        {
            if (tensor.is_floating_point() && !name.EndsWith("num_batches_tracked", StringComparison.Ordinal))
            {
                Tensor host = tensor.detach().cpu().to_type(ScalarType.Float32).contiguous();
                arrays[name] = new WeightArray(host.data<float>().ToArray(), host.shape);
            }
        }

        return new StateDictWeights(arrays);
    }

    /// <summary>
    /// The options with the network's own preprocessing and class names where the caller gave none: a network that
    /// knows them (published weights, a training checkpoint, a TFLite import) exports a file that prepares its own
    /// images and names its classes. A recorded crop that does not fit a fixed input size is left out (the file then
    /// says the preprocessing is missing).
    /// </summary>
    internal static OnnxExportOptions WithWhatTheNetworkKnows(OnnxExportOptions options, ConvNetwork network)
    {
        EvalTransform? known = network.Preprocessing is { } preprocessing && (options.DynamicImageSize || preprocessing.CropSize == network.Spec.Resolution) ? preprocessing : null;
        IReadOnlyList<string>? names = network.Spec.Classifier.IsHeadless || options.FeatureLevels is not null ? null : network.ClassNames;
        return options with { Transform = options.Transform ?? known, Labels = options.Labels ?? names };
    }

}
#pragma warning restore RS0026
