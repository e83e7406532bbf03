using EfficientNet.Sharp.Blocks;
using EfficientNet.Sharp.Specs;

namespace EfficientNet.Sharp.Analysis;

/// <summary>
/// Walks a spec in the order <c>ConvNetwork</c> runs it, recording every weighted layer
/// (parameters, multiply-accumulates, module path) and simulating the lifetimes of the activation
/// tensors the forward pass creates: which are alive at once at inference (this library frees each
/// intermediate as soon as the next op has run, and a <c>Sequential</c> frees what its children
/// return), and which a training step keeps for backward (all of them: every tensor the forward
/// creates is an input or output that some backward function needs).
/// </summary>
internal sealed class ForwardWalk
{
    private readonly NetworkSpec spec;
    private readonly int batch;
    private readonly int elementBytes;
    private readonly List<LayerCost> layers = [];
    private readonly List<PartCost> parts = [];

    private long live;
    private long partPeak;
    private long partAllocated;
    private long partParameters;
    private long partMacs;
    private string part = "stem";

    private ForwardWalk(NetworkSpec spec, int batch, int elementBytes)
    {
        this.spec = spec;
        this.batch = batch;
        this.elementBytes = elementBytes;
    }

    public static (IReadOnlyList<LayerCost> Layers, IReadOnlyList<PartCost> Parts, long InputBytes) Run(
        NetworkSpec spec, int height, int width, int batch, int elementBytes)
    {
        var walk = new ForwardWalk(spec, batch, elementBytes);
        long input = walk.Run(height, width);
        return (walk.layers, walk.parts, input);
    }

    private long Run(int height, int width)
    {
        // The caller holds the input image for the whole forward pass.
        var image = new Map(spec.InputChannels, height, width);
        long imageBytes = Bytes(image);
        live = imageBytes;
        partPeak = live;

        Begin("stem");
        Map x = ConvNorm($"{ModulePaths.Stem}.0", image, spec.Stem.OutChannels, spec.Stem.KernelSize, spec.Stem.Stride, groups: 1, spec.Stem.Activation != ActivationKind.Identity, LayerKind.Convolution);
        End(x);

        IReadOnlyList<BlockSpec> blocks = spec.Blocks;
        if (spec.Layout == FeatureLayout.FlatBlocks)
        {
            foreach (BlockSpec block in blocks)
            {
                Begin($"stage {block.StageIndex + 1}", continuing: block.IndexInStage > 0);
                Map output = Block(ModulePaths.Block(spec, block), block, x);
                Free(x);
                x = output;
                if (block.IndexInStage == spec.Stages[block.StageIndex].Repeats - 1)
                {
                    End(x);
                }
            }
        }
        else
        {
            foreach (IGrouping<int, BlockSpec> stage in blocks.GroupBy(b => b.StageIndex))
            {
                // The stage's Sequential keeps its own input alive until the stage returns.
                Begin($"stage {stage.Key + 1}");
                Map stageInput = x;
                foreach (BlockSpec block in stage)
                {
                    Map output = Block(ModulePaths.Block(spec, block), block, x);
                    if (block.IndexInStage > 0)
                    {
                        Free(x);
                    }

                    x = output;
                }

                Free(stageInput);
                End(x);
            }
        }

        if (spec.Head is { } head)
        {
            Begin("head");
            Map headOutput = ConvNorm($"{ModulePaths.Head(spec)}.0", x, head.OutChannels, 1, 1, groups: 1, head.Activation != ActivationKind.Identity, LayerKind.Convolution);
            Free(x);
            x = headOutput;
            End(x);
        }

        Begin(spec.Classifier.IsHeadless ? "pooling" : "classifier");
        var pooled = new Map(x.Channels, 1, 1);
        Allocate(pooled);
        if (spec.Classifier.IsHeadless)
        {
            // No layers: the pooled features are the output.
            End(pooled);
            return imageBytes;
        }

        if (spec.Classifier.Dropout > 0)
        {
            // Inference: dropout returns an alias. Training: a mask and a masked copy.
            partAllocated += 2 * Bytes(pooled);
        }

        if (spec.Classifier.HiddenChannels is { } hiddenChannels)
        {
            // MobileNetV3: linear, hard-swish (a new tensor), then dropout on that.
            var hidden = new Map(hiddenChannels, 1, 1);
            Record(ModulePaths.ClassifierHidden, LayerKind.Linear, pooled, hidden, 1, 1, 1, ((long)pooled.Channels * hidden.Channels) + hidden.Channels);
            Allocate(hidden);
            Allocate(hidden);
            Free(pooled);
            Free(hidden);
            pooled = hidden;
        }

        var logits = new Map(spec.Classifier.NumClasses, 1, 1);
        Record(ModulePaths.ClassifierOutput(spec), LayerKind.Linear, pooled, logits, 1, 1, 1, ((long)pooled.Channels * logits.Channels) + logits.Channels);
        Allocate(logits);
        End(logits);
        return imageBytes;
    }

    /// <summary>
    /// A block's layers as <see cref="BlockLayers"/> defines them, in order. Each layer frees its input once it
    /// has run, unless that input is the block's own (the caller frees that).
    /// </summary>
    private Map Block(string path, BlockSpec block, Map input)
    {
        Map x = input;
        foreach (BlockLayer layer in BlockLayers.Of(block))
        {
            string at = $"{path}.{layer.Path}";
            Map output = layer.Shape switch
            {
                LayerShape.ConvNormActivation => ConvNorm($"{at}.0", x, layer.OutChannels, layer.KernelSize, layer.Stride, layer.Groups, layer.Activated, layer.Kind),
                LayerShape.ConvThenNorm => ConvThenNorm(at, x, input, layer),
                LayerShape.SqueezeExcitation => SqueezeExcitation(at, x, layer.OutChannels, layer.Activated),
                _ => throw new NotSupportedException($"The cost walk does not know layer shape {layer.Shape} ({at})."),
            };
            if (layer.Shape != LayerShape.ConvThenNorm)
            {
                FreeIntermediate(x, input);
            }

            x = output;
        }

        return Residual(block, x);
    }

    /// <summary>
    /// A plain convolution and a BatchNorm as siblings (MobileNetV2's projection): the convolution's input is freed
    /// as soon as it has run, before the BatchNorm makes its own output.
    /// </summary>
    private Map ConvThenNorm(string path, Map input, Map blockInput, BlockLayer layer)
    {
        Map output = Convolved(input, layer.OutChannels, layer.KernelSize, layer.Stride);
        Record(path, layer.Kind, input, output, layer.KernelSize, layer.Stride, layer.Groups, ConvParameters(input.Channels, output.Channels, layer.KernelSize, layer.Groups) + (2L * output.Channels));
        Allocate(output);
        FreeIntermediate(input, blockInput);
        Allocate(output);
        Free(output);
        return output;
    }

    /// <summary>The skip is added in place at inference; in training, stochastic depth first makes a masked copy.</summary>
    private Map Residual(BlockSpec block, Map branch)
    {
        if (block.HasResidual && block.StochasticDepthProbability > 0)
        {
            partAllocated += Bytes(branch);
        }

        return branch;
    }

    /// <summary>Convolution, BatchNorm and (optionally) activation: each frees its input as soon as the next has run.</summary>
    private Map ConvNorm(string path, Map input, int outChannels, int kernel, int stride, int groups, bool activation, LayerKind kind)
    {
        Map output = Convolved(input, outChannels, kernel, stride);
        Record(path, kind, input, output, kernel, stride, groups, ConvParameters(input.Channels, outChannels, kernel, groups) + (2L * outChannels));
        Allocate(output);
        Allocate(output);
        Free(output);
        if (activation)
        {
            Allocate(output);
            Free(output);
        }

        return output;
    }

    private Map SqueezeExcitation(string path, Map input, int squeeze, bool activation)
    {
        var pooled = new Map(input.Channels, 1, 1);
        var squeezed = new Map(squeeze, 1, 1);
        Record($"{path}.fc1", LayerKind.SqueezeExcitation, pooled, squeezed, 1, 1, 1, ((long)input.Channels * squeeze) + squeeze);
        Record($"{path}.fc2", LayerKind.SqueezeExcitation, squeezed, pooled, 1, 1, 1, ((long)squeeze * input.Channels) + input.Channels);

        // pooled, fc1 output, its activation, fc2 output and the sigmoid live until the block returns.
        long small = Bytes(pooled) + Bytes(squeezed) + (activation ? Bytes(squeezed) : 0) + (2 * Bytes(pooled));
        var output = new Map(input.Channels, input.Height, input.Width);
        AllocateBytes(small);
        Allocate(output);
        FreeBytes(small);
        return output;
    }

    private void Record(string path, LayerKind kind, Map input, Map output, int kernel, int stride, int groups, long parameters)
    {
        long macs = (long)output.Height * output.Width * output.Channels * (input.Channels / groups) * kernel * kernel;
        layers.Add(new LayerCost(path, part, kind, input.Channels, output.Channels, kernel, stride, groups, input.Height, input.Width, output.Height, output.Width, parameters, macs));
        partParameters += parameters;
        partMacs += macs;
    }

    private void Begin(string name, bool continuing = false)
    {
        if (continuing)
        {
            return;
        }

        part = name;
        partPeak = live;
        partAllocated = 0;
        partParameters = 0;
        partMacs = 0;
    }

    private void End(Map output) =>
        parts.Add(new PartCost(part, partParameters, partMacs, output.Height, output.Width, partPeak, partAllocated));

    private void Allocate(Map map) => AllocateBytes(Bytes(map));

    private void AllocateBytes(long bytes)
    {
        live += bytes;
        partAllocated += bytes;
        partPeak = Math.Max(partPeak, live);
    }

    private void Free(Map map) => FreeBytes(Bytes(map));

    /// <summary>Frees a block-internal intermediate, but never the block's own input (its caller frees that).</summary>
    private void FreeIntermediate(Map map, Map blockInput)
    {
        if (!ReferenceEquals(map, blockInput))
        {
            Free(map);
        }
    }

    private void FreeBytes(long bytes) => live -= bytes;

    private long Bytes(Map map) => (long)batch * map.Channels * map.Height * map.Width * elementBytes;

    private static long ConvParameters(int input, int output, int kernel, int groups) => (long)input / groups * output * kernel * kernel;

    /// <summary>The map a convolution makes with padding (k − 1) / 2 (TF "SAME" gives the same size).</summary>
    private static Map Convolved(Map input, int outChannels, int kernel, int stride)
    {
        int padding = (kernel - 1) / 2;
        return new Map(outChannels, OutputSize(input.Height, kernel, stride, padding), OutputSize(input.Width, kernel, stride, padding));
    }

    private static int OutputSize(int size, int kernel, int stride, int padding) => ((size + (2 * padding) - kernel) / stride) + 1;

    /// <summary>A feature map's shape for one image; one instance per tensor, so that "the same tensor" can be recognised.</summary>
    private sealed class Map(int channels, int height, int width)
    {
        public int Channels { get; } = channels;

        public int Height { get; } = height;

        public int Width { get; } = width;
    }
}
