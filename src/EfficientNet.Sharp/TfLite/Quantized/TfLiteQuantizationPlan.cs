using EfficientNet.Sharp.Blocks;
using EfficientNet.Sharp.Onnx;
using EfficientNet.Sharp.Onnx.Quantization;
using EfficientNet.Sharp.Specs;
using EfficientNet.Sharp.TfLite.Reading;
using EfficientNet.Sharp.TfLite.Recognition;
using EfficientNet.Sharp.TfLite.Schema;

namespace EfficientNet.Sharp.TfLite.Quantized;

/// <summary>
/// A quantized TFLite file's own 8-bit parameters placed on our graph: every quantization point gets the scale and
/// zero point of the file's tensor at that place, every convolution and dense layer the scales of the file's filter.
/// Written as QDQ, ONNX Runtime then computes what TensorFlow Lite computes (integer accumulators, the same grids;
/// only the requantization's rounding of an exact tie may differ). Squeeze-and-excitation's inner layers stay float.
/// </summary>
internal sealed class TfLiteQuantizationPlan : IQuantizationPlan
{
    private readonly Dictionary<string, ActivationQuantization> activations = new(StringComparer.Ordinal);
    private readonly Dictionary<string, WeightQuantization> weights = new(StringComparer.Ordinal);

    private TfLiteQuantizationPlan()
    {
    }

    /// <summary>A one-line account of the file's quantization, e.g. "uint8 activations, uint8 per-tensor weights".</summary>
    public string Description { get; private set; } = "";

    public ActivationQuantization? Activation(string point) => activations.GetValueOrDefault(point);

    public WeightQuantization? Weight(string path, WeightArray weight) => weights.GetValueOrDefault(path);

    /// <summary>
    /// The plan of a recognised file, or <see langword="null"/> with the reason when the file does not compute in
    /// 8 bits (float activations, 16-bit activations, float weights).
    /// </summary>
    public static TfLiteQuantizationPlan? TryBuild(TfLiteGraph file, RecognizedGraph graph, NetworkSpec spec, out string whyNot)
    {
        if (spec.Blocks.Count != graph.Blocks.Count)
        {
            throw new InvalidOperationException($"{spec.Name} has {spec.Blocks.Count} blocks; the file has {graph.Blocks.Count}.");
        }

        var reasons = new List<string>();
        var activationTypes = new HashSet<string>();
        var weightTypes = new HashSet<string>();
        var plan = new TfLiteQuantizationPlan();

        void Activation(string point, int tensorIndex)
        {
            TfLiteTensor tensor = file.Tensors[tensorIndex];
            if (ActivationOf(tensor) is { } quantization)
            {
                plan.activations[point] = quantization;
                activationTypes.Add(tensor.Type.ToString().ToLowerInvariant());
            }
            else
            {
                reasons.Add($"its activation {tensor.Describe()} is not 8-bit quantized per tensor");
            }
        }

        void Weight(string path, TfLiteTensor filter, int outputs)
        {
            if (filter.Quantization is { } q && filter.Type is TfLiteTensorType.UInt8 or TfLiteTensorType.Int8 && (q.IsPerTensor || q.Scale.Length == outputs))
            {
                plan.weights[path] = new WeightQuantization(q.Scale, [.. q.ZeroPoint.Select(z => checked((int)z))], filter.Type == TfLiteTensorType.Int8);
                weightTypes.Add($"{filter.Type.ToString().ToLowerInvariant()} {(q.IsPerTensor ? "per-tensor" : "per-channel")}");
            }
            else
            {
                reasons.Add($"its weights {filter.Describe()} are not 8-bit quantized per tensor or per output channel");
            }
        }

        void Convolution(string path, ImportedConv conv)
        {
            Weight(path, conv.Filter, conv.OutChannels);
            Activation(QuantizationPoints.Layer(path), conv.Output);
        }

        Activation(QuantizationPoints.Input, graph.Stem.Operator.Inputs[0]);
        Convolution($"{ModulePaths.Stem}.0", graph.Stem);
        foreach ((BlockSpec block, ImportedBlock imported) in spec.Blocks.Zip(graph.Blocks))
        {
            string at = ModulePaths.Block(spec, block);
            Queue<ImportedConv> convolutions = new(imported.Convolutions.Where(c => imported.Squeeze is not { } se || (c != se.Reduce && c != se.Expand)));
            foreach (BlockLayer layer in BlockLayers.Of(block))
            {
                string path = $"{at}.{layer.Path}";
                switch (layer.Shape)
                {
                    case LayerShape.ConvNormActivation:
                        Convolution($"{path}.0", convolutions.Dequeue());
                        break;
                    case LayerShape.ConvThenNorm:
                        Convolution(path, convolutions.Dequeue());
                        break;
                    case LayerShape.SqueezeExcitation:
                        Activation(QuantizationPoints.Layer(path), imported.Squeeze!.Output);
                        break;
                    default:
                        throw new NotSupportedException($"The int8 export has no place for layer shape {layer.Shape} (at '{path}').");
                }
            }

            if (imported.Residual)
            {
                Activation(QuantizationPoints.Residual(at), imported.Output);
            }
        }

        if (graph.Head is { } head)
        {
            Convolution($"{ModulePaths.Head(spec)}.0", head);
        }

        Activation(QuantizationPoints.Pooled, graph.Pooled);
        if (graph.Classifier is { } classifier)
        {
            string[] paths = classifier.Hidden is null ? [ModulePaths.ClassifierOutput(spec)] : [ModulePaths.ClassifierHidden, ModulePaths.ClassifierOutput(spec)];
            foreach ((ImportedClassifier layer, string path) in classifier.Layers.Zip(paths))
            {
                Weight(path, layer.Weight, layer.Classes);
                Activation(QuantizationPoints.Layer(path), layer.Output);
            }
        }

        if (reasons.Count > 0)
        {
            whyNot = $"{reasons[0]}{(reasons.Count > 1 ? $" (and {reasons.Count - 1} more)" : "")}";
            return null;
        }

        whyNot = "";
        plan.Description = $"the file's own scales: {string.Join(", ", activationTypes.Order())} activations; {string.Join(", ", weightTypes.Order())} weights";
        return plan;
    }

    private static ActivationQuantization? ActivationOf(TfLiteTensor tensor) =>
        tensor.Quantization is { IsPerTensor: true } q && tensor.Type is TfLiteTensorType.UInt8 or TfLiteTensorType.Int8
            ? new ActivationQuantization(q.Scale[0], checked((int)q.ZeroPoint[0]), tensor.Type == TfLiteTensorType.Int8)
            : null;
}
