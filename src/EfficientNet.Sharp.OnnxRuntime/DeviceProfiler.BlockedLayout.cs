using EfficientNet.Sharp.Onnx.Protobuf;
using EfficientNet.Sharp.Profiles;
using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;

namespace EfficientNet.Sharp.OnnxRuntime;

public sealed partial class DeviceProfiler
{
    /// <summary>The operator domain of ONNX Runtime's blocked-layout (NCHWc) kernels in an optimised graph.</summary>
    internal const string BlockedLayoutDomain = "com.microsoft.nchwc";

    /// <summary>
    /// The least power of two q (up to 64) for which ONNX Runtime runs a pointwise and a depthwise convolution of 64 + q
    /// channels in its blocked channel layout here, or 0 when it runs neither so at 128
    /// (<see cref="DeviceProfile.BlockedLayoutChannelMultiple"/>). Asked of the runtime, not timed: the graph it optimises
    /// a convolution into says. (64 + q, not q: a convolution reading fewer channels than the layout's block, such as a
    /// stem's 3, is rewritten whatever its count.)
    /// </summary>
    internal int BlockedLayoutChannelMultiple()
    {
        for (int multiple = 1; multiple <= 64; multiple *= 2)
        {
            int channels = 64 + multiple;
            if (RunsBlocked(KernelGraph.Build(new KernelShape(KernelKind.PointwiseConvolution, channels, channels, 14, 1, 1, ""), int8: Int8))
                && RunsBlocked(KernelGraph.Build(new KernelShape(KernelKind.DepthwiseConvolution, channels, channels, 14, 3, 1, ""), int8: Int8)))
            {
                return multiple;
            }
        }

        return 0;
    }

    /// <summary>
    /// The block ONNX Runtime pads a blocked convolution's channels up to here (<see cref="DeviceProfile.BlockedLayoutBlock"/>),
    /// or 0 when it does not block one: read from the weights it rewrites a pointwise convolution of 64 to 65 channels
    /// with, whose output channels it pads to 64 plus its block. Asked of the runtime in float, the layout's form.
    /// </summary>
    internal static int BlockedLayoutBlock()
    {
        const int channels = 64;
        GraphProto graph = OptimizedGraph(KernelGraph.Build(new KernelShape(KernelKind.PointwiseConvolution, channels, channels + 1, 14, 1, 1, "")));
        NodeProto? convolution = graph.Node.FirstOrDefault(node => node.Domain == BlockedLayoutDomain && node.OpType == "Conv");
        long block = convolution is null ? 0 : RewrittenWeights(graph, convolution)[0] - channels;
        return block is > 0 and <= 64 && long.IsPow2(block) ? (int)block : 0;
    }

    /// <summary>
    /// The shape of the weights a blocked-layout convolution of an optimised graph runs with: output channels (padded),
    /// input channels per group (padded where the layout pads them), then the kernel's size.
    /// </summary>
    internal static long[] RewrittenWeights(GraphProto graph, NodeProto convolution) =>
        [.. graph.Initializer.Single(initializer => initializer.Name == convolution.Input[1]).Dims];

    /// <summary>Whether ONNX Runtime, optimising the model for this device, rewrites a convolution of it to the blocked layout.</summary>
    internal static bool RunsBlocked(ModelProto model) => OptimizedGraph(model).Node.Any(node => node.Domain == BlockedLayoutDomain);

    /// <summary>The graph ONNX Runtime runs the model as on this device, after all its optimisations: which operators it chose.</summary>
    internal static GraphProto OptimizedGraph(ModelProto model)
    {
        string folder = Directory.CreateTempSubdirectory("effnet-layout-").FullName;
        try
        {
            string optimized = Path.Combine(folder, "optimized.onnx");
            using var options = new SessionOptions
            {
                GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
                OptimizedModelFilePath = optimized,
                LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL,
            };
            using (new InferenceSession(model.ToByteArray(), options))
            {
            }

            return ModelProto.Parser.ParseFrom(File.ReadAllBytes(optimized)).Graph;
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
