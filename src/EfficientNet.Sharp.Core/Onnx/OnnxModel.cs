using System.Globalization;
using System.Reflection;
using EfficientNet.Sharp.Inference;
using EfficientNet.Sharp.Models;
using EfficientNet.Sharp.Onnx.Protobuf;
using EfficientNet.Sharp.Onnx.Quantization;
using EfficientNet.Sharp.Specs;

namespace EfficientNet.Sharp.Onnx;

/// <summary>
/// An ONNX model of a network, from its spec and its weights alone: the inference graph (<see cref="NetworkGraphWriter"/>),
/// the input and outputs, and the metadata that lets a consumer use the file alone. TorchSharp's <c>ExportOnnx</c>
/// feeds it a network's state dict; device profiles and cost models feed it random weights.
/// </summary>
internal static class OnnxModel
{
    /// <summary>ONNX IR version 8 (ONNX 1.12): it carries every opset from 13 to 21 this exporter writes.</summary>
    private const long IrVersion = 8;

    /// <summary>The model proto of a network from its spec and its weights, and what it holds.</summary>
    /// <exception cref="ArgumentException">An option is invalid.</exception>
    /// <param name="spec">The network's architecture.</param>
    /// <param name="weights">Its weights.</param>
    /// <param name="options">How to write it.</param>
    /// <param name="quantization">Where and how to quantize (QDQ), or <see langword="null"/> for a float32 graph.</param>
    /// <param name="exposePoints">
    /// Whether every quantization point's value (but the input) is also a graph output, named by its value: the probe
    /// that calibration runs (see <see cref="ProbeOutputs"/>).
    /// </param>
    public static (ModelProto Model, OnnxExportReport Report) Build(NetworkSpec spec, IGraphWeights weights, OnnxExportOptions options, IQuantizationPlan? quantization = null, bool exposePoints = false)
    {
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
            var writer = new NetworkGraphWriter(graph, spec, weights, options.Opset, options.IncludeSoftmax, quantization);
            string output = writer.Write(options.InputName, size, size);
            if (output != options.OutputName)
            {
                graph.RenameLastOutput(options.OutputName);
            }

            graph.Proto.Output.Add(FloatTensor(options.OutputName, batch, spec.OutputChannels.ToString(CultureInfo.InvariantCulture)));
            foreach ((string point, string value) in exposePoints ? writer.PointValues : new Dictionary<string, string>())
            {
                if (point == QuantizationPoints.Input)
                {
                    continue;
                }

                if (value == output)
                {
                    graph.Proto.Output[0].DocString = point;
                }
                else
                {
                    graph.Proto.Output.Add(new ValueInfoProto { Name = value, DocString = point, Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float } } });
                }
            }

            outputs.Add($"{options.OutputName} [{batch}, {spec.OutputChannels}]");
        }
        else
        {
            IReadOnlyList<FeatureLevel> levels = FeatureLevels.Choose(spec.FeatureInfo, options.FeatureLevels, nameof(options));
            foreach ((FeatureLevel level, string name, long? mapHeight, long? mapWidth) in new NetworkGraphWriter(graph, spec, weights, options.Opset, options.IncludeSoftmax, quantization).WriteFeatures(options.InputName, size, size, levels))
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
            ProducerVersion = options.ProducerVersion ?? typeof(OnnxModel).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "",
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

    /// <summary>A probe's extra outputs (see <c>exposePoints</c>): each quantization point with the output that carries its value.</summary>
    public static IEnumerable<(string Point, string Output)> ProbeOutputs(ModelProto probe) =>
        probe.Graph.Output.Where(output => output.DocString.Length > 0).Select(output => (output.DocString, output.Name));

    /// <summary>The metadata keys <see cref="Metadata"/> writes; a user's entry must not shadow them.</summary>
    internal static readonly string[] ReservedMetadataKeys = ["architecture", "family", "resolution", "classes", "output", "feature_levels", "spec", "preprocessing", "labels", "missing"];

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
