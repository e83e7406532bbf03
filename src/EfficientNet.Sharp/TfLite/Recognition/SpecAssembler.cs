using EfficientNet.Sharp.Blocks;
using EfficientNet.Sharp.Models.Families;
using EfficientNet.Sharp.Specs;

namespace EfficientNet.Sharp.TfLite.Recognition;

/// <summary>
/// Turns a recognised graph into a <see cref="NetworkSpec"/>: picks the family from the blocks, groups
/// blocks into stages, and — when our builders make exactly that network for some width (MobileNets) or
/// variant (EfficientNet-Lite) — returns the builder's spec, so the import says "mobilenet_v1_0.25_128"
/// rather than an anonymous list of layers.
/// </summary>
internal static class SpecAssembler
{
    public static NetworkSpec Assemble(RecognizedGraph graph)
    {
        ArgumentNullException.ThrowIfNull(graph);
        NetworkFamily family = FamilyOf(graph);
        FamilyDescriptor descriptor = FamilyDescriptors.Of(family);
        TfLiteAssembly assembly = descriptor.TfLite ?? throw new NotSupportedException($"The TFLite importer does not assemble {family} networks (a bug in the importer, not a bad file).");
        NetworkSpec reference = descriptor.Reference;
        ImportedConv stem = graph.Stem;
        int resolution = graph.Input.Shape[1];
        var recognised = new NetworkSpec
        {
            Name = assembly.Name,
            Family = family,
            Resolution = resolution,
            InputChannels = stem.InChannels,
            Stem = new StemSpec(stem.OutChannels, stem.KernelSize, stem.Stride, stem.Activation),
            Stages = Stages(graph, assembly),
            Head = graph.Head is { } head ? new HeadSpec(head.OutChannels, head.Activation) { IsFeatureLevel = reference.Head?.IsFeatureLevel ?? false } : null,
            Classifier = reference.Classifier with
            {
                NumClasses = graph.Classifier?.Classes ?? 0,
                HiddenChannels = graph.Classifier?.Hidden?.Classes ?? (graph.Classifier is null ? reference.Classifier.HiddenChannels : null),
            },
            BatchNorm = BatchNormSpec.TensorFlowPorted,
            Padding = PaddingMode.TensorFlowSame,
            StochasticDepthRate = reference.StochasticDepthRate,
            Layout = reference.Layout,
        };

        try
        {
            recognised.Validate();
        }
        catch (ArgumentException e)
        {
            throw new TfLiteImportException($"The graph reads as a {family} but not as a valid network: {e.Message}");
        }

        CheckExpansions(graph, recognised);

        // Our builder's spec for the same network names it ("mobilenet_v1_0.25_128"); otherwise the anonymous list of layers stands.
        return assembly.Candidates(recognised).FirstOrDefault(candidate => SameNetwork(candidate, recognised)) ?? recognised;
    }

    private static NetworkFamily FamilyOf(RecognizedGraph graph)
    {
        int separable = graph.Blocks.Count(b => b.IsDepthwiseSeparable);
        if (separable == graph.Blocks.Count)
        {
            return NetworkFamily.MobileNetV1;
        }

        if (separable > 0)
        {
            ImportedBlock odd = graph.Blocks.First(b => b.IsDepthwiseSeparable);
            throw GraphCursor.Mismatch(odd.Project.Operator, "a depthwise-separable block (activation after the 1×1 convolution) among linear bottlenecks");
        }

        if (graph.Head is null)
        {
            throw new TfLiteImportException("The graph has inverted-residual blocks but no 1×1 head convolution before pooling, which MobileNetV2 and EfficientNet have.");
        }

        // MobileNetV3 gates squeeze-and-excitation with the hard sigmoid; EfficientNet's MBConv with the sigmoid (Lite removed it).
        if (graph.Blocks.Any(b => b.Squeeze is { HardSigmoidGate: true }))
        {
            return NetworkFamily.MobileNetV3;
        }

        if (graph.Classifier?.Hidden is { } hidden)
        {
            throw GraphCursor.Mismatch(hidden.Operator, "a hidden classifier layer belongs to MobileNetV3, but no block gates squeeze-and-excitation with MobileNetV3's hard sigmoid");
        }

        if (graph.Blocks.Any(b => b.Squeeze is not null))
        {
            return NetworkFamily.EfficientNet;
        }

        // MobileNetV2 uses 3×3 depthwise kernels throughout; EfficientNet-Lite's stages 3, 5 and 6 use 5×5.
        return graph.Blocks.All(b => b.KernelSize == 3) ? NetworkFamily.MobileNetV2 : NetworkFamily.EfficientNetLite;
    }

    /// <summary>Consecutive blocks form a stage when each one after the first keeps the stride at 1 and the channels and shape of the first's output.</summary>
    private static StageSpec[] Stages(RecognizedGraph graph, TfLiteAssembly assembly)
    {
        BlockKind kind = assembly.Block;

        var stages = new List<StageSpec>();
        foreach (ImportedBlock block in graph.Blocks)
        {
            ActivationKind activation = block.Depthwise.Activation;
            double squeezeRatio = SqueezeRatioOf(block, kind);
            StageSpec? last = stages.Count > 0 ? stages[^1] : null;
            bool repeats = last is not null && assembly.GroupsRepeats && block.Stride == 1 && block.InChannels == last.OutChannels && block.OutChannels == last.OutChannels
                && block.KernelSize == last.KernelSize && block.ExpandRatio == last.ExpandRatio && activation == last.Activation && squeezeRatio == last.SqueezeRatio;
            if (repeats)
            {
                stages[^1] = last! with { Repeats = last.Repeats + 1 };
            }
            else
            {
                stages.Add(new StageSpec(kind, block.ExpandRatio, block.KernelSize, block.Stride, block.InChannels, block.OutChannels, 1, squeezeRatio, activation));
            }
        }

        return [.. stages];
    }

    /// <summary>
    /// The block's squeeze ratio: 0 without squeeze-and-excitation; 0.25 (both families' ratio) when our block of that
    /// kind counts the file's squeeze channels from it, else a ratio from which it does — EfficientNet counts them from
    /// the input channels, MobileNetV3 from the expanded ones, and the block's definition
    /// (<see cref="BlockSpec.SqueezeChannelsOf(BlockKind, int, int, double)"/>) decides which ratio lands; 0.25 when
    /// none does (CheckExpansions then reports the file's count). Its activation and gate must be what our block of that
    /// kind uses (its definition in <see cref="BlockLayers"/>).
    /// </summary>
    private static double SqueezeRatioOf(ImportedBlock block, BlockKind kind)
    {
        if (block.Squeeze is not { } squeeze)
        {
            return 0;
        }

        // The activation and gate our block of this kind gives its squeeze-and-excitation, from the block's definition.
        BlockSpec probe = new(kind, 0, 0, 0, block.InChannels, block.OutChannels, block.KernelSize, block.Stride, block.ExpandRatio, 0.25, block.Depthwise.Activation, 0);
        BlockLayer expected = BlockLayers.Of(probe).Single(layer => layer.Shape == LayerShape.SqueezeExcitation);
        if (squeeze.Reduce.Activation != expected.Activation || squeeze.HardSigmoidGate != expected.HardSigmoidGate)
        {
            throw GraphCursor.Mismatch(squeeze.Reduce.Operator, $"squeeze-and-excitation uses {squeeze.Reduce.Activation} and a {(squeeze.HardSigmoidGate ? "hard " : "")}sigmoid gate where a {kind} block uses {expected.Activation} and a {(expected.HardSigmoidGate ? "hard " : "")}sigmoid gate");
        }

        // Half a channel above the count keeps the floor in the count on it: a ratio of either base that the kind's own
        // count maps back to the file's.
        int channels = squeeze.Reduce.OutChannels;
        foreach (double ratio in new[] { 0.25, (channels + 0.5) / block.InChannels, (channels + 0.5) / block.ExpandedChannels })
        {
            if (ratio <= 1 && BlockSpec.SqueezeChannelsOf(kind, block.InChannels, block.ExpandedChannels, ratio) == channels)
            {
                return ratio;
            }
        }

        return 0.25;
    }

    /// <summary>The spec's blocks must expand to the file's channel counts (MBConv rounds expanded channels to multiples of 8).</summary>
    private static void CheckExpansions(RecognizedGraph graph, NetworkSpec spec)
    {
        foreach ((BlockSpec planned, ImportedBlock found) in spec.Blocks.Zip(graph.Blocks))
        {
            if (planned.ExpandedChannels != found.ExpandedChannels || planned.HasExpansion != (found.Expand is not null))
            {
                ImportedConv at = found.Expand ?? found.Depthwise;
                throw GraphCursor.Mismatch(at.Operator, $"block {planned.Index} expands {found.InChannels} channels to {found.ExpandedChannels}, which a {spec.Family} block with expand ratio {planned.ExpandRatio:0.###} would not");
            }

            if (planned.SqueezeChannels != (found.Squeeze?.Reduce.OutChannels ?? 0))
            {
                throw GraphCursor.Mismatch((found.Squeeze?.Reduce ?? found.Depthwise).Operator, $"block {planned.Index} squeezes to {found.Squeeze?.Reduce.OutChannels ?? 0} channels where a {spec.Family} block would squeeze to {planned.SqueezeChannels}");
            }

            if (planned.HasResidual != found.Residual)
            {
                throw GraphCursor.Mismatch(found.Project.Operator, $"block {planned.Index} {(found.Residual ? "adds" : "does not add")} its input although its stride and channels say it {(planned.HasResidual ? "should" : "should not")}");
            }
        }
    }

    /// <summary>Same layers and weight shapes (dropout and the classifier's initialisation do not affect an imported network).</summary>
    private static bool SameNetwork(NetworkSpec candidate, NetworkSpec recognised) =>
        candidate.InputChannels == recognised.InputChannels
        && candidate.Stem == recognised.Stem
        && candidate.Stages.SequenceEqual(recognised.Stages)
        && Equals(candidate.Head, recognised.Head)
        && candidate.Classifier.NumClasses == recognised.Classifier.NumClasses
        && (candidate.Classifier.HiddenChannels == recognised.Classifier.HiddenChannels || recognised.Classifier.IsHeadless)
        && candidate.Resolution == recognised.Resolution;
}
