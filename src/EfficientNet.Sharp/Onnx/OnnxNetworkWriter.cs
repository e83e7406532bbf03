using EfficientNet.Sharp.Blocks;
using EfficientNet.Sharp.Models;
using EfficientNet.Sharp.Onnx.Protobuf;
using EfficientNet.Sharp.Specs;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using G = EfficientNet.Sharp.Onnx.OnnxGraph;

namespace EfficientNet.Sharp.Onnx;

/// <summary>
/// Writes a network's inference graph, module by module in forward order: every BatchNorm folded into the
/// convolution before it, activations as ONNX operators, squeeze-and-excitation as
/// <c>GlobalAveragePool</c> → 1×1 <c>Conv</c>s → <c>Sigmoid</c> → <c>Mul</c>, residual <c>Add</c>, then
/// <c>GlobalAveragePool</c> → <c>Flatten</c> → <c>Gemm</c>. A module it does not know is refused with its
/// path and type, so nothing is silently left out.
/// </summary>
internal sealed class OnnxNetworkWriter(OnnxGraph graph, OnnxExportOptions options)
{
    /// <summary>The value flowing between layers: its name, and its spatial size where that is fixed.</summary>
    private readonly record struct Value(string Name, long? Height, long? Width);

    /// <summary>Writes the whole network from the graph input to its logits (or probabilities, or a headless network's pooled features); returns the output's name.</summary>
    public string Write(ConvNetwork network, string input, long? height, long? width)
    {
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        Value features = Module(network.Features, "features", new Value(input, height, width));
        string pooled = graph.Node("GlobalAveragePool", "avgpool", [features.Name]);
        string flat = graph.Node("Flatten", "flatten", [pooled], G.Int("axis", 1));

        // Dropout is the identity at inference; linear layers are Gemm with the weight transposed.
        NetworkSpec spec = network.Spec;
        string x = flat;
        if (spec.Classifier.IsHeadless)
        {
            return flat;
        }

        if (spec.Classifier.HiddenChannels is not null)
        {
            x = Activation(ActivationKind.Hardswish, "classifier.1", Gemm(Child(network.Classifier, 0), ModulePaths.ClassifierHidden, x));
        }

        string logits = Gemm(Child(network.Classifier, spec.Classifier.HiddenChannels is null ? 1 : 3), ModulePaths.ClassifierOutput(spec), x);
        return options.IncludeSoftmax ? graph.Node("Softmax", "softmax", [logits], G.Int("axis", 1)) : logits;
    }

    private static Linear Child(Sequential classifier, int index) => (Linear)classifier.children().ElementAt(index);

    private string Gemm(Linear linear, string path, string input) =>
        graph.Node("Gemm", path, [input, graph.Initializer($"{path}.weight", linear.weight!), graph.Initializer($"{path}.bias", linear.bias!)], G.Int("transB", 1));

    /// <summary>
    /// Writes the feature extractor up to the deepest chosen level and gives each chosen level's map its own
    /// output, <c>feature_{level}</c>; returns the outputs with their spatial sizes where those are fixed.
    /// </summary>
    public IReadOnlyList<(FeatureLevel Level, string Name, long? Height, long? Width)> WriteFeatures(ConvNetwork network, string input, long? height, long? width, IReadOnlyList<FeatureLevel> levels)
    {
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        int last = levels.Max(level => level.FeaturesChild);
        var values = new List<Value>();
        var x = new Value(input, height, width);
        foreach ((string name, nn.Module child) in network.Features.named_children().Take(last + 1))
        {
            x = Module(child, $"features.{name}", x);
            values.Add(x);
        }

        return [.. levels.Select(level =>
        {
            Value map = values[level.FeaturesChild];
            return (level, graph.Node("Identity", $"feature_{level.Index}", [map.Name]), map.Height, map.Width);
        })];
    }

    private Value Module(nn.Module module, string path, Value input) => module switch
    {
        ConvNormActivation layer => ConvNormActivation(layer, path, input),
        DepthwiseSeparableConv block => Module(block.Pointwise, $"{path}.pointwise", Module(block.Depthwise, $"{path}.depthwise", input)),
        InvertedResidual block => Residual(block.UsesResidual, path, input, InvertedResidualBranch(block, path, input)),
        MBConv block => Residual(block.UsesResidual, path, input, Module(block.Branch, $"{path}.block", input)),
        FusedMBConv block => Residual(block.UsesResidual, path, input, Module(block.Branch, $"{path}.block", input)),
        MobileNetV3Block block => Residual(block.UsesResidual, path, input, Module(block.Branch, $"{path}.block", input)),
        SqueezeExcitation block => SqueezeExcitation(block, path, input),
        Sequential sequence => sequence.named_children().Aggregate(input, (value, child) => Module(child.module, $"{path}.{child.name}", value)),
        _ => throw new NotSupportedException($"The ONNX exporter does not know module '{path}' ({module.GetType().FullName}); it writes ConvNormActivation, DepthwiseSeparableConv, InvertedResidual, MBConv, FusedMBConv, MobileNetV3Block, SqueezeExcitation and Sequential."),
    };

    private Value ConvNormActivation(ConvNormActivation layer, string path, Value input)
    {
        Conv2d conv = layer.Convolution;
        (Tensor weight, Tensor? bias) = layer.IsFolded ? (conv.weight!, conv.bias) : Folded(conv, layer.Norm);
        Value convolved = Convolution(conv, weight, bias, $"{path}.0", input, layer.PadsPerInput);
        return convolved with { Name = Activation(layer.Activation, $"{path}.2", convolved.Name) };
    }

    /// <summary>MobileNetV2's branch: its layers one by one, the projection's BatchNorm folded into the projection.</summary>
    private Value InvertedResidualBranch(InvertedResidual block, string path, Value input)
    {
        IReadOnlyList<nn.Module<Tensor, Tensor>> layers = block.Layers;
        Value x = input;
        for (int i = 0; i < layers.Count - 2; i++)
        {
            x = Module(layers[i], $"{path}.conv.{i}", x);
        }

        var projection = (Conv2d)layers[^2];
        (Tensor weight, Tensor? bias) = block.IsFolded ? (projection.weight!, projection.bias) : Folded(projection, (BatchNormLayer)layers[^1]);
        return Convolution(projection, weight, bias, $"{path}.conv.{layers.Count - 2}", x, padsPerInput: false);
    }

    private Value Residual(bool residual, string path, Value input, Value branch) =>
        residual ? branch with { Name = graph.Node("Add", $"{path}.add", [branch.Name, input.Name]) } : branch;

    private Value SqueezeExcitation(SqueezeExcitation block, string path, Value input)
    {
        string pooled = graph.Node("GlobalAveragePool", $"{path}.avgpool", [input.Name]);
        string squeezed = PointwiseWithBias(block.Squeeze, $"{path}.fc1", pooled);
        string activated = Activation(block.Activation, $"{path}.activation", squeezed);
        string expanded = PointwiseWithBias(block.Expand, $"{path}.fc2", activated);
        string gate = block.HardSigmoidGate
            ? graph.Node("HardSigmoid", $"{path}.scale_activation", [expanded], G.Float("alpha", 1f / 6), G.Float("beta", 0.5f))
            : graph.Node("Sigmoid", $"{path}.scale_activation", [expanded]);
        return input with { Name = graph.Node("Mul", $"{path}.scale", [input.Name, gate]) };
    }

    private string PointwiseWithBias(Conv2d conv, string path, string input) =>
        graph.Node("Conv", path, [input, graph.Initializer($"{path}.weight", conv.weight!), graph.Initializer($"{path}.bias", conv.bias!)], G.Ints("kernel_shape", 1, 1));

    /// <summary>
    /// A convolution with its (folded) weight and bias. Symmetric padding is the module's own; TensorFlow's
    /// "SAME" (the extra row and column at the bottom and right) becomes explicit pads for a fixed size and
    /// <c>auto_pad = SAME_UPPER</c> for a symbolic one, which is the same rule.
    /// </summary>
    private Value Convolution(Conv2d conv, Tensor weight, Tensor? bias, string path, Value input, bool padsPerInput)
    {
        long kernel = conv.kernel_size[0];
        long stride = conv.stride[0];
        var attributes = new List<AttributeProto>
        {
            G.Ints("kernel_shape", kernel, kernel),
            G.Ints("strides", stride, stride),
            G.Int("group", conv.groups),
        };
        long? height, width;
        if (padsPerInput && input.Height is long h && input.Width is long w)
        {
            (long top, long bottom) = Blocks.ConvNormActivation.SamePadding(h, (int)kernel, (int)stride);
            (long left, long right) = Blocks.ConvNormActivation.SamePadding(w, (int)kernel, (int)stride);
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
            long pad = conv.padding![0];
            attributes.Add(G.Ints("pads", pad, pad, pad, pad));
            height = input.Height is long ih ? ((ih + (2 * pad) - kernel) / stride) + 1 : null;
            width = input.Width is long iw ? ((iw + (2 * pad) - kernel) / stride) + 1 : null;
        }

        var inputs = new List<string> { input.Name, graph.Initializer($"{path}.weight", weight) };
        if (bias is not null)
        {
            inputs.Add(graph.Initializer($"{path}.bias", bias));
        }

        return new Value(graph.Node("Conv", path, inputs, [.. attributes]), height, width);
    }

    private string Activation(ActivationKind kind, string path, string input) => kind switch
    {
        ActivationKind.Identity => input,
        ActivationKind.ReLU => graph.Node("Relu", path, [input]),
        ActivationKind.ReLU6 => graph.Node("Clip", path, [input, graph.Scalar($"{path}.min", 0f), graph.Scalar($"{path}.max", 6f)]),
        ActivationKind.SiLU => graph.Node("Mul", path, [input, graph.Node("Sigmoid", $"{path}.sigmoid", [input])]),
        ActivationKind.Hardswish when options.Opset >= 14 => graph.Node("HardSwish", path, [input]),
        ActivationKind.Hardswish => graph.Node("Mul", path, [input, graph.Node("HardSigmoid", $"{path}.hardsigmoid", [input], G.Float("alpha", 1f / 6), G.Float("beta", 0.5f))]),
        ActivationKind.LeakyReLU => graph.Node("LeakyRelu", path, [input], G.Float("alpha", (float)Activations.LeakyReLUSlope)),
        _ => throw new NotSupportedException($"The ONNX exporter has no operator for activation {kind} (at '{path}')."),
    };

    private static (Tensor Weight, Tensor Bias) Folded(Conv2d conv, BatchNormLayer norm)
    {
        (Parameter weight, Parameter bias) = BatchNormFolding.Fold(conv, norm);
        return (weight, bias);
    }

    private static long CeilDivide(long value, long divisor) => (value + divisor - 1) / divisor;
}
