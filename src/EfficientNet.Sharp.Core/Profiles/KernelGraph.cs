using EfficientNet.Sharp.Onnx;
using EfficientNet.Sharp.Onnx.Protobuf;
using EfficientNet.Sharp.Onnx.Int8;
using EfficientNet.Sharp.Onnx.Quantization;
using G = EfficientNet.Sharp.Onnx.OnnxGraph;

namespace EfficientNet.Sharp.Profiles;

/// <summary>
/// The ONNX model of one kernel, with random weights, written without TorchSharp: the operators exactly as the
/// network writer emits them (<see cref="NetworkGraphWriter"/>), so that ONNX Runtime optimises and runs the kernel as it
/// does inside a network. The input is <c>input</c>: 1 × C × H × W for maps, 1 × N for vectors and elementwise kernels.
/// An int8 kernel is the same graph in the QDQ form the int8 writer gives a network: a convolution's input and output
/// rounded to uint8, its weights int8 per channel (7-bit, as <see cref="Int8WeightFormat.ReducedRange"/>), its bias
/// int32, so that ONNX Runtime runs it as <c>QLinearConv</c>; a <see cref="KernelGrid.FloatIsland"/> convolution keeps
/// the 8-bit weights but a float input, bias and output, as the int8 writer leaves a convolution next to a float
/// activation, so that ONNX Runtime runs it in float in the plain layout; the other kinds stay float, as the int8 writer
/// leaves squeeze-and-excitation's inner layers, SiLU and hard-swish.
/// </summary>
internal static class KernelGraph
{
    /// <summary>The opset the network exports default to.</summary>
    public const int Opset = 17;

    public static ModelProto Build(KernelShape shape, int seed = 7, bool int8 = false)
    {
        var graph = new OnnxGraph();
        graph.Proto.Name = shape.ToString();
        var weights = new RandomWeights(seed);
        (long[] inputShape, string output, long[] outputShape) = shape.Kind switch
        {
            KernelKind.PointwiseConvolution or KernelKind.DenseConvolution or KernelKind.DepthwiseConvolution => Convolution(graph, weights, shape, int8),
            KernelKind.SqueezeExcitation => SqueezeExcitation(graph, weights, shape),
            KernelKind.GlobalPool => GlobalPool(graph, shape),
            KernelKind.Linear => Linear(graph, weights, shape),
            KernelKind.SiLU => Elementwise(shape, graph.Node("Mul", "silu", ["input", graph.Node("Sigmoid", "silu.sigmoid", ["input"])])),
            KernelKind.Hardswish => Elementwise(shape, graph.Node("HardSwish", "hardswish", ["input"])),
            KernelKind.Add => Elementwise(shape, graph.Node("Add", "add", ["input", "other"])),
            KernelKind.RunOverhead => ([1, 1], graph.Node("Identity", "identity", ["input"]), [1, 1]),
            _ => throw new NotSupportedException($"No graph for kernel kind {shape.Kind}."),
        };

        graph.RenameLastOutput("output");
        graph.Proto.Input.Add(Tensor("input", inputShape));
        if (shape.Kind == KernelKind.Add)
        {
            graph.Proto.Input.Add(Tensor("other", inputShape));
        }

        graph.Proto.Output.Add(Tensor("output", outputShape));
        var model = new ModelProto { IrVersion = 8, ProducerName = "EfficientNet.Sharp", Graph = graph.Proto };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = Opset });
        return model;
    }

    /// <summary>
    /// The convolution, float or between 8-bit activations with 8-bit weights in QDQ form (uint8 input and output,
    /// 7-bit int8 weights per channel, int32 bias), or a float island (8-bit weights, the rest float); the int8 ranges
    /// are made up, as a timing needs no calibration.
    /// </summary>
    private static (long[] Input, string Output, long[] OutputShape) Convolution(OnnxGraph graph, RandomWeights weights, KernelShape shape, bool int8)
    {
        int groups = shape.Kind == KernelKind.DepthwiseConvolution ? shape.InChannels : 1;
        int k = shape.KernelSize, pad = (k - 1) / 2;
        (WeightArray weight, float[] bias) = weights.Biased("conv", [shape.OutChannels, shape.InChannels / groups, k, k]);
        bool integer = int8 && shape.Variant != KernelGrid.FloatIsland;
        string[] inputs;
        var qdq = new QdqNodes(graph);
        ActivationQuantization activations = CalibratedPlan.Uint8(-8, 8);
        if (int8)
        {
            WeightQuantization weightQuantization = CalibratedPlan.FromRanges(new Dictionary<string, ActivationQuantization>(), Int8WeightFormat.ReducedRange).Weight("conv.weight", weight)!;
            string weightInput = qdq.Weight("conv.weight", weight, weightQuantization);
            inputs = integer
                ? [qdq.QuantizeDequantize("input.q", "input", activations), weightInput, qdq.Bias("conv.bias", bias, activations.Scale, weightQuantization)]
                : ["input", weightInput, graph.Initializer("conv.bias", [shape.OutChannels], bias)];
        }
        else
        {
            inputs = ["input", graph.Initializer("conv.weight", weight.Shape, weight.Values), graph.Initializer("conv.bias", [shape.OutChannels], bias)];
        }

        string output = graph.Node("Conv", "conv", inputs, G.Ints("kernel_shape", k, k), G.Ints("strides", shape.Stride, shape.Stride), G.Int("group", groups), G.Ints("pads", pad, pad, pad, pad));
        int size = shape.OutputSize;
        return ([1, shape.InChannels, shape.Size, shape.Size], integer ? qdq.QuantizeDequantize("output.q", output, activations) : output, [1, shape.OutChannels, size, size]);
    }

    /// <summary>EfficientNet's (SiLU inside, sigmoid gate) or MobileNetV3's (ReLU inside, hard-sigmoid gate) squeeze-and-excitation, squeezing to a quarter.</summary>
    private static (long[] Input, string Output, long[] OutputShape) SqueezeExcitation(OnnxGraph graph, RandomWeights weights, KernelShape shape)
    {
        int channels = shape.InChannels, squeezed = shape.SqueezedChannels;
        bool hard = shape.Variant == SqueezeVariant.HardSigmoid;
        string pooled = graph.Node("GlobalAveragePool", "se.avgpool", ["input"]);
        (WeightArray reduceWeight, float[] reduceBias) = weights.Biased("se.fc1", [squeezed, channels, 1, 1]);
        string reduced = graph.Node("Conv", "se.fc1", [pooled, graph.Initializer("se.fc1.weight", reduceWeight.Shape, reduceWeight.Values), graph.Initializer("se.fc1.bias", [squeezed], reduceBias)], G.Ints("kernel_shape", 1, 1));
        string activated = hard ? graph.Node("Relu", "se.activation", [reduced])
            : graph.Node("Mul", "se.activation", [reduced, graph.Node("Sigmoid", "se.activation.sigmoid", [reduced])]);
        (WeightArray expandWeight, float[] expandBias) = weights.Biased("se.fc2", [channels, squeezed, 1, 1]);
        string expanded = graph.Node("Conv", "se.fc2", [activated, graph.Initializer("se.fc2.weight", expandWeight.Shape, expandWeight.Values), graph.Initializer("se.fc2.bias", [channels], expandBias)], G.Ints("kernel_shape", 1, 1));
        string gate = hard
            ? graph.Node("HardSigmoid", "se.scale_activation", [expanded], G.Float("alpha", 1f / 6), G.Float("beta", 0.5f))
            : graph.Node("Sigmoid", "se.scale_activation", [expanded]);
        long[] map = [1, channels, shape.Size, shape.Size];
        return (map, graph.Node("Mul", "se.scale", ["input", gate]), map);
    }

    private static (long[] Input, string Output, long[] OutputShape) GlobalPool(OnnxGraph graph, KernelShape shape)
    {
        string pooled = graph.Node("GlobalAveragePool", "avgpool", ["input"]);
        return ([1, shape.InChannels, shape.Size, shape.Size], graph.Node("Flatten", "flatten", [pooled], G.Int("axis", 1)), [1, shape.InChannels]);
    }

    private static (long[] Input, string Output, long[] OutputShape) Linear(OnnxGraph graph, RandomWeights weights, KernelShape shape)
    {
        (WeightArray weight, float[] bias) = weights.Biased("linear", [shape.OutChannels, shape.InChannels]);
        string output = graph.Node("Gemm", "linear", ["input", graph.Initializer("linear.weight", weight.Shape, weight.Values), graph.Initializer("linear.bias", [shape.OutChannels], bias)], G.Int("transB", 1));
        return ([1, shape.InChannels], output, [1, shape.OutChannels]);
    }

    private static (long[] Input, string Output, long[] OutputShape) Elementwise(KernelShape shape, string output) =>
        ([1, shape.InChannels], output, [1, shape.InChannels]);

    private static ValueInfoProto Tensor(string name, long[] dimensions)
    {
        var tensorShape = new TensorShapeProto();
        foreach (long dimension in dimensions)
        {
            tensorShape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = dimension });
        }

        return new ValueInfoProto { Name = name, Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float, Shape = tensorShape } } };
    }
}
