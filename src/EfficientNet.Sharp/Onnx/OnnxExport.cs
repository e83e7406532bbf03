using System.Globalization;
using System.Reflection;
using EfficientNet.Sharp.Inference;
using EfficientNet.Sharp.Models;
using EfficientNet.Sharp.Onnx.Protobuf;
using EfficientNet.Sharp.Specs;
using Google.Protobuf;

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
    /// <summary>ONNX IR version 8 (ONNX 1.12): it carries every opset from 13 to 21 this exporter writes.</summary>
    private const long IrVersion = 8;

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

    private static (ModelProto Model, OnnxExportReport Report) Build(ConvNetwork network, OnnxExportOptions options)
    {
        network.ThrowIfDisposed();
        NetworkSpec spec = network.Spec;
        options = WithWhatTheNetworkKnows(options, network);
        Validate(options, spec);
        var graph = new OnnxGraph();
        graph.Proto.Name = spec.Name;
        long? size = options.DynamicImageSize ? null : spec.Resolution;
        string batch = options.DynamicBatch ? "batch" : "1";
        string height = options.DynamicImageSize ? "height" : spec.Resolution.ToString(CultureInfo.InvariantCulture);
        string width = options.DynamicImageSize ? "width" : height;
        graph.Proto.Input.Add(FloatTensor(options.InputName, batch, spec.InputChannels.ToString(CultureInfo.InvariantCulture), height, width));
        var outputs = new List<string>();
        if (options.FeatureLevels is null)
        {
            string output = new OnnxNetworkWriter(graph, options).Write(network, options.InputName, size, size);
            if (output != options.OutputName)
            {
                graph.RenameLastOutput(options.OutputName);
            }

            graph.Proto.Output.Add(FloatTensor(options.OutputName, batch, spec.OutputChannels.ToString(CultureInfo.InvariantCulture)));
            outputs.Add($"{options.OutputName} [{batch}, {spec.OutputChannels}]");
        }
        else
        {
            IReadOnlyList<FeatureLevel> levels = FeatureLevels.Choose(spec.FeatureInfo, options.FeatureLevels, nameof(options));
            foreach ((FeatureLevel level, string name, long? mapHeight, long? mapWidth) in new OnnxNetworkWriter(graph, options).WriteFeatures(network, options.InputName, size, size, levels))
            {
                string channels = level.Channels.ToString(CultureInfo.InvariantCulture);
                string h = mapHeight?.ToString(CultureInfo.InvariantCulture) ?? $"{name}_height";
                string w = mapWidth?.ToString(CultureInfo.InvariantCulture) ?? $"{name}_width";
                graph.Proto.Output.Add(FloatTensor(name, batch, channels, h, w));
                outputs.Add($"{name} [{batch}, {channels}, {h}, {w}]");
            }
        }

        var model = new ModelProto
        {
            IrVersion = IrVersion,
            ProducerName = options.ProducerName,
            ProducerVersion = options.ProducerVersion ?? typeof(OnnxExport).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "",
            Graph = graph.Proto,
            DocString = $"{spec.Name} exported by EfficientNet.Sharp: the inference graph (BatchNorm folded into the convolutions).",
        };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = options.Opset });
        foreach ((string key, string value) in Metadata(spec, options))
        {
            model.MetadataProps.Add(new StringStringEntryProto { Key = key, Value = value });
        }

        var report = new OnnxExportReport
        {
            Opset = options.Opset,
            Input = $"{options.InputName} [{batch}, {spec.InputChannels}, {height}, {width}]",
            Output = string.Join(", ", outputs),
            NodeCount = graph.Proto.Node.Count,
            InitializerCount = graph.Proto.Initializer.Count,
        };
        return (model, report);
    }

    /// <summary>
    /// The options with the network's own preprocessing and class names where the caller gave none: a network that
    /// knows them (published weights, a training checkpoint, a TFLite import) exports a file that prepares its own
    /// images and names its classes. A recorded crop that does not fit a fixed input size is left out (the file then
    /// says the preprocessing is missing).
    /// </summary>
    private static OnnxExportOptions WithWhatTheNetworkKnows(OnnxExportOptions options, ConvNetwork network)
    {
        EvalTransform? known = network.Preprocessing is { } preprocessing && (options.DynamicImageSize || preprocessing.CropSize == network.Spec.Resolution) ? preprocessing : null;
        IReadOnlyList<string>? names = network.Spec.Classifier.IsHeadless || options.FeatureLevels is not null ? null : network.ClassNames;
        return options with { Transform = options.Transform ?? known, Labels = options.Labels ?? names };
    }

    /// <summary>The metadata keys <see cref="Metadata"/> writes; a user's entry must not shadow them.</summary>
    private static readonly string[] ReservedMetadataKeys = ["architecture", "family", "resolution", "classes", "output", "feature_levels", "spec", "preprocessing", "labels", "missing"];

    private static void Validate(OnnxExportOptions options, NetworkSpec spec)
    {
        if (options.Opset is < OnnxExportOptions.MinOpset or > OnnxExportOptions.MaxOpset)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.Opset, $"Opset {options.Opset} cannot be written: the exporter writes opsets {OnnxExportOptions.MinOpset} to {OnnxExportOptions.MaxOpset} (opset 13 is the first with Softmax over one axis and Clip bounds as inputs).");
        }

        if (string.IsNullOrWhiteSpace(options.InputName) || string.IsNullOrWhiteSpace(options.OutputName) || options.InputName == options.OutputName)
        {
            throw new ArgumentException($"The input and output names must be non-empty and different (got '{options.InputName}' and '{options.OutputName}').", nameof(options));
        }

        if (options.Labels is { } labels && labels.Count != spec.Classifier.NumClasses)
        {
            throw new ArgumentException($"{labels.Count} labels were given for a network with {spec.Classifier.NumClasses} classes.", nameof(options));
        }

        if (options.Labels?.FirstOrDefault(label => label is null || label.AsSpan().ContainsAny('\n', '\r')) is { } broken)
        {
            throw new ArgumentException($"Label '{broken.ReplaceLineEndings("\\n")}' contains a line break: the file stores labels one per line, so a reader would see other classes.", nameof(options));
        }

        if (options.Labels?.Any(label => label is null) == true)
        {
            throw new ArgumentException("A label is null; give every class a name.", nameof(options));
        }

        if (options.Metadata?.Keys.FirstOrDefault(ReservedMetadataKeys.Contains) is { } reserved)
        {
            throw new ArgumentException($"Metadata key '{reserved}' is written by the exporter itself ({string.Join(", ", ReservedMetadataKeys)}); give your value another key.", nameof(options));
        }

        if (!options.DynamicImageSize && options.Transform is { } transform && transform.CropSize != spec.Resolution)
        {
            throw new ArgumentException($"The preprocessing crops {transform.CropSize} × {transform.CropSize} but the file takes {spec.Resolution} × {spec.Resolution} images: give the transform for {spec.Resolution} px, or export with DynamicImageSize.", nameof(options));
        }

        if (spec.Classifier.IsHeadless && options.IncludeSoftmax)
        {
            throw new ArgumentException($"{spec.Name} is headless (no classifier): its output is pooled features, which have no softmax; leave IncludeSoftmax off.", nameof(options));
        }

        if (options.FeatureLevels is not null && options.IncludeSoftmax)
        {
            throw new ArgumentException("A backbone export (FeatureLevels set) has no classifier to put a softmax after: leave IncludeSoftmax off.", nameof(options));
        }

        if (options.ExternalDataThresholdBytes < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.ExternalDataThresholdBytes, "ExternalDataThresholdBytes must not be negative.");
        }
    }

    /// <summary>What a consumer needs to use the file alone: the architecture, the preprocessing, the classes.</summary>
    private static IEnumerable<(string Key, string Value)> Metadata(NetworkSpec spec, OnnxExportOptions options)
    {
        yield return ("architecture", spec.Name);
        yield return ("family", spec.Family.ToString());
        yield return ("resolution", spec.Resolution.ToString(CultureInfo.InvariantCulture));
        yield return ("classes", spec.Classifier.NumClasses.ToString(CultureInfo.InvariantCulture));
        yield return ("output", options.FeatureLevels is not null ? "features" : spec.Classifier.IsHeadless ? "pooled features" : options.IncludeSoftmax ? "probabilities" : "logits");
        if (options.FeatureLevels is { } levels)
        {
            // One line per output: its name, module path, channels and reduction.
            yield return ("feature_levels", string.Join('\n', levels.Select(level => spec.FeatureInfo[level]).Select(level => $"feature_{level.Index} {level.ModulePath} {level.Channels} {level.Reduction}")));
        }

        yield return ("spec", spec.ToString());
        if (options.Transform is { } transform)
        {
            yield return ("preprocessing", EvalTransformJson.Write(transform));
        }

        if (options.Labels is { } labels)
        {
            yield return ("labels", string.Join('\n', labels));
        }

        // What a consumer would need and the exporter did not know: said, so the reader can ask for it by name.
        string[] missing = [.. new[] { (options.Transform is null, "preprocessing"), (options.Labels is null && !spec.Classifier.IsHeadless && options.FeatureLevels is null, "labels") }.Where(m => m.Item1).Select(m => m.Item2)];
        if (missing.Length > 0)
        {
            yield return ("missing", string.Join(", ", missing));
        }

        foreach ((string key, string value) in options.Metadata ?? new Dictionary<string, string>())
        {
            yield return (key, value);
        }
    }

    private static ValueInfoProto FloatTensor(string name, params string[] dimensions)
    {
        var shape = new TensorShapeProto();
        foreach (string dimension in dimensions)
        {
            shape.Dim.Add(long.TryParse(dimension, NumberStyles.None, CultureInfo.InvariantCulture, out long value)
                ? new TensorShapeProto.Types.Dimension { DimValue = value }
                : new TensorShapeProto.Types.Dimension { DimParam = dimension });
        }

        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float, Shape = shape } },
        };
    }
}
#pragma warning restore RS0026
