using EfficientNet.Sharp.Blocks;
using EfficientNet.Sharp.Onnx.Protobuf;
using EfficientNet.Sharp.Onnx.Quantization;
using EfficientNet.Sharp.Specs;
using G = EfficientNet.Sharp.Onnx.OnnxGraph;

namespace EfficientNet.Sharp.Onnx;

/// <summary>
/// Writes a network's inference graph from its spec and the block definitions (<see cref="BlockLayers"/>), with no
/// module and no TorchSharp: stem, each block's layers as its definition lists them, head, pooling and classifier.
/// Every convolution carries its BatchNorm folded in (<see cref="IGraphWeights"/>), activations are ONNX operators,
/// squeeze-and-excitation is <c>GlobalAveragePool</c> → 1×1 <c>Conv</c>s → gate → <c>Mul</c>, residuals are <c>Add</c>.
/// A layer shape it does not know is refused, so nothing is silently left out. With a quantization plan, each
/// quantization point the plan quantizes gets ONNX's quantize-dequantize pair and each layer whose weights it
/// quantizes gets 8-bit weights and an int32 bias (<see cref="QdqNodes"/>); the rest stays float.
/// </summary>
internal sealed class NetworkGraphWriter(OnnxGraph graph, NetworkSpec spec, IGraphWeights weights, int opset, bool includeSoftmax, IQuantizationPlan? quantization = null)
{
    private readonly QdqNodes qdq = new(graph);
    private readonly Dictionary<string, string> pointValues = new(StringComparer.Ordinal);

    /// <summary>Each quantization point the graph passed, with the name of its (unquantized) value: what calibration observes.</summary>
    public IReadOnlyDictionary<string, string> PointValues => pointValues;

    /// <summary>The value flowing between layers: its name, its spatial size where that is fixed, and its 8-bit grid when it is quantized.</summary>
    private readonly record struct Value(string Name, long? Height, long? Width, ActivationQuantization? Quantization = null);

    /// <summary>Writes the whole network from the input to its logits (or probabilities, or a headless network's pooled features); returns the output's name.</summary>
    public string Write(string input, long? height, long? width)
    {
        Value features = Features(Quantized(QuantizationPoints.Input, new Value(input, height, width)), lastChild: int.MaxValue)[^1];
        Value pooled = Quantized(QuantizationPoints.Pooled, features with { Name = graph.Node("GlobalAveragePool", "avgpool", [features.Name]) });
        Value flat = pooled with { Name = graph.Node("Flatten", "flatten", [pooled.Name], G.Int("axis", 1)) };
        if (spec.Classifier.IsHeadless)
        {
            return flat.Name;
        }

        // Dropout is the identity at inference; linear layers are Gemm with the weight transposed.
        Value x = flat;
        int inputs = spec.FeatureChannels;
        if (spec.Classifier.HiddenChannels is int hidden)
        {
            Value linear = Gemm(ModulePaths.ClassifierHidden, x, hidden, inputs);
            x = Quantized(QuantizationPoints.Layer(ModulePaths.ClassifierHidden), linear with { Name = Activation(ActivationKind.Hardswish, "classifier.1", linear.Name) });
            inputs = hidden;
        }

        string outputPath = ModulePaths.ClassifierOutput(spec);
        string logits = Quantized(QuantizationPoints.Layer(outputPath), Gemm(outputPath, x, spec.Classifier.NumClasses, inputs)).Name;
        return includeSoftmax ? graph.Node("Softmax", "softmax", [logits], G.Int("axis", 1)) : logits;
    }

    /// <summary>
    /// Writes the feature extractor up to the deepest chosen level and gives each chosen level's map its own output,
    /// <c>feature_{level}</c>; returns the outputs with their spatial sizes where those are fixed.
    /// </summary>
    public IReadOnlyList<(FeatureLevel Level, string Name, long? Height, long? Width)> WriteFeatures(string input, long? height, long? width, IReadOnlyList<FeatureLevel> levels)
    {
        IReadOnlyList<Value> children = Features(Quantized(QuantizationPoints.Input, new Value(input, height, width)), levels.Max(level => level.FeaturesChild));
        return [.. levels.Select(level =>
        {
            Value map = children[level.FeaturesChild];
            return (level, graph.Node("Identity", $"feature_{level.Index}", [map.Name]), map.Height, map.Width);
        })];
    }

    /// <summary>The output of each child of <c>features</c> (stem, blocks or stages, head), up to <paramref name="lastChild"/>.</summary>
    private List<Value> Features(Value input, int lastChild)
    {
        var outputs = new List<Value> { ConvNormActivation(ModulePaths.Stem, input, spec.InputChannels, spec.Stem.OutChannels, spec.Stem.KernelSize, spec.Stem.Stride, 1, spec.Stem.Activation) };
        foreach (BlockSpec block in spec.Blocks)
        {
            int child = ModulePaths.FeaturesChildOf(spec, block);
            if (child > lastChild)
            {
                return outputs;
            }

            Value output = Block(block, outputs[^1]);

            // With stage containers, a stage's blocks share one child: its output is the last block's.
            if (child < outputs.Count)
            {
                outputs[child] = output;
            }
            else
            {
                outputs.Add(output);
            }
        }

        if (spec.Head is { } head && ModulePaths.HeadChild(spec) <= lastChild)
        {
            outputs.Add(ConvNormActivation(ModulePaths.Head(spec), outputs[^1], spec.Stages[^1].OutChannels, head.OutChannels, 1, 1, 1, head.Activation));
        }

        return outputs;
    }

    /// <summary>A block: its definition's layers in order, then the residual when the block has one.</summary>
    private Value Block(BlockSpec block, Value input)
    {
        string at = ModulePaths.Block(spec, block);
        Value x = input;
        foreach (BlockLayer layer in BlockLayers.Of(block))
        {
            string path = $"{at}.{layer.Path}";
            x = layer.Shape switch
            {
                LayerShape.ConvNormActivation => ConvNormActivation(path, x, layer.InChannels, layer.OutChannels, layer.KernelSize, layer.Stride, layer.Groups, layer.Activation),
                LayerShape.ConvThenNorm => Quantized(QuantizationPoints.BlockLayer(at, layer), Convolution(path, $"{at}.{layer.NormPath}", x, layer.InChannels, layer.OutChannels, layer.KernelSize, layer.Stride, layer.Groups)),
                LayerShape.SqueezeExcitation => SqueezeExcitation(path, QuantizationPoints.BlockLayer(at, layer), x, layer),
                _ => throw new NotSupportedException($"The ONNX writer has no operators for layer shape {layer.Shape} (at '{path}')."),
            };
        }

        return block.HasResidual ? Quantized(QuantizationPoints.Residual(at), x with { Name = graph.Node("Add", $"{at}.add", [x.Name, input.Name]) }) : x;
    }

    /// <summary>A <c>ConvNormActivation</c>: the convolution at <c>{path}.0</c> with the BatchNorm at <c>{path}.1</c> folded in, then the activation.</summary>
    private Value ConvNormActivation(string path, Value input, int inChannels, int outChannels, int kernel, int stride, int groups, ActivationKind activation)
    {
        Value convolved = Convolution($"{path}.0", $"{path}.1", input, inChannels, outChannels, kernel, stride, groups);
        return Quantized(QuantizationPoints.ConvNormActivation(path), convolved with { Name = Activation(activation, $"{path}.2", convolved.Name) });
    }

    /// <summary>
    /// A convolution with its BatchNorm folded in. Symmetric padding is (k − 1) / 2; TensorFlow's "SAME" on a strided
    /// convolution (the extra row and column at the bottom and right) becomes explicit pads for a fixed size and
    /// <c>auto_pad = SAME_UPPER</c> for a symbolic one, which is the same rule.
    /// </summary>
    private Value Convolution(string path, string normPath, Value input, int inChannels, int outChannels, int kernel, int stride, int groups)
    {
        (WeightArray weight, float[] bias) = weights.FoldedConvolution(path, normPath, [outChannels, inChannels / groups, kernel, kernel], spec.BatchNorm.Epsilon);
        var attributes = new List<AttributeProto> { G.Ints("kernel_shape", kernel, kernel), G.Ints("strides", stride, stride), G.Int("group", groups) };
        long? height, width;
        bool padsPerInput = spec.Padding == PaddingMode.TensorFlowSame && stride > 1;
        if (padsPerInput && input.Height is long h && input.Width is long w)
        {
            (long top, long bottom) = SamePadding.Split(h, kernel, stride);
            (long left, long right) = SamePadding.Split(w, kernel, stride);
            attributes.Add(G.Ints("pads", top, left, bottom, right));
            (height, width) = (CeilDivide(h, stride), CeilDivide(w, stride));
        }
        else if (padsPerInput)
        {
            attributes.Add(G.String("auto_pad", "SAME_UPPER"));
            (height, width) = (null, null);
        }
        else
        {
            long pad = (kernel - 1) / 2;
            attributes.Add(G.Ints("pads", pad, pad, pad, pad));
            height = input.Height is long ih ? ((ih + (2 * pad) - kernel) / stride) + 1 : null;
            width = input.Width is long iw ? ((iw + (2 * pad) - kernel) / stride) + 1 : null;
        }

        return new Value(graph.Node("Conv", path, [input.Name, .. WeightAndBias(path, weight, bias, input)], [.. attributes]), height, width);
    }

    private Value SqueezeExcitation(string path, string point, Value input, BlockLayer layer)
    {
        string pooled = graph.Node("GlobalAveragePool", $"{path}.avgpool", [input.Name]);
        string squeezed = PointwiseWithBias($"{path}.fc1", pooled, layer.OutChannels, layer.InChannels);
        string activated = Activation(layer.Activation, $"{path}.activation", squeezed);
        string expanded = PointwiseWithBias($"{path}.fc2", activated, layer.InChannels, layer.OutChannels);
        string gate = layer.HardSigmoidGate
            ? graph.Node("HardSigmoid", $"{path}.scale_activation", [expanded], G.Float("alpha", 1f / 6), G.Float("beta", 0.5f))
            : graph.Node("Sigmoid", $"{path}.scale_activation", [expanded]);
        // Its pooling, convolutions and gate stay float (small, and the gate quantizes badly); the plan decides the scaled map.
        return Quantized(point, input with { Name = graph.Node("Mul", $"{path}.scale", [input.Name, gate]) });
    }

    private string PointwiseWithBias(string path, string input, int outChannels, int inChannels)
    {
        (WeightArray weight, float[] bias) = weights.Biased(path, [outChannels, inChannels, 1, 1]);
        return graph.Node("Conv", path, [input, graph.Initializer($"{path}.weight", weight.Shape, weight.Values), graph.Initializer($"{path}.bias", [outChannels], bias)], G.Ints("kernel_shape", 1, 1));
    }

    private Value Gemm(string path, Value input, int outputs, int inputs)
    {
        (WeightArray weight, float[] bias) = weights.Biased(path, [outputs, inputs]);
        return new Value(graph.Node("Gemm", path, [input.Name, .. WeightAndBias(path, weight, bias, input)], G.Int("transB", 1)), null, null);
    }

    /// <summary>
    /// A layer's weight and bias inputs: float initializers, or — when the plan quantizes the weights — 8-bit weights,
    /// and an int32 bias when the input is quantized too (its scale is the input's times the weight's).
    /// </summary>
    private string[] WeightAndBias(string path, WeightArray weight, float[] bias, Value input)
    {
        if (quantization?.Weight(path, weight) is not { } quantized)
        {
            return [graph.Initializer($"{path}.weight", weight.Shape, weight.Values), graph.Initializer($"{path}.bias", [bias.Length], bias)];
        }

        string biasInput = input.Quantization is { } activation
            ? qdq.Bias($"{path}.bias", bias, activation.Scale, quantized)
            : graph.Initializer($"{path}.bias", [bias.Length], bias);
        return [qdq.Weight($"{path}.weight", weight, quantized), biasInput];
    }

    /// <summary>The value rounded to the plan's 8-bit grid at <paramref name="point"/>, or unchanged (float) where the plan has none.</summary>
    private Value Quantized(string point, Value value)
    {
        pointValues[point] = value.Name;
        return quantization?.Activation(point) is { } parameters
            ? value with { Name = qdq.QuantizeDequantize(point, value.Name, parameters), Quantization = parameters }
            : value with { Quantization = null };
    }

    private string Activation(ActivationKind kind, string path, string input) => kind switch
    {
        ActivationKind.Identity => input,
        ActivationKind.ReLU => graph.Node("Relu", path, [input]),
        ActivationKind.ReLU6 => graph.Node("Clip", path, [input, graph.Scalar($"{path}.min", 0f), graph.Scalar($"{path}.max", 6f)]),
        ActivationKind.SiLU => graph.Node("Mul", path, [input, graph.Node("Sigmoid", $"{path}.sigmoid", [input])]),
        ActivationKind.Hardswish when opset >= 14 => graph.Node("HardSwish", path, [input]),
        ActivationKind.Hardswish => graph.Node("Mul", path, [input, graph.Node("HardSigmoid", $"{path}.hardsigmoid", [input], G.Float("alpha", 1f / 6), G.Float("beta", 0.5f))]),
        ActivationKind.LeakyReLU => graph.Node("LeakyRelu", path, [input], G.Float("alpha", (float)ActivationKinds.LeakyReLUSlope)),
        _ => throw new NotSupportedException($"The ONNX writer has no operator for activation {kind} (at '{path}')."),
    };

    private static long CeilDivide(long value, long divisor) => (value + divisor - 1) / divisor;
}
