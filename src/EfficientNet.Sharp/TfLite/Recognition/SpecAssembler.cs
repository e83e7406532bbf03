using EfficientNet.Sharp.Scaling;
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
    // MobileNetV1's released widths and MobileNetV2's; any width whose spec matches the file is accepted.
    private static readonly double[] CommonWidths = [0.25, 0.35, 0.5, 0.75, 1.0, 1.3, 1.4];

    public static NetworkSpec Assemble(RecognizedGraph graph)
    {
        ArgumentNullException.ThrowIfNull(graph);
        NetworkFamily family = FamilyOf(graph);
        ImportedConv stem = graph.Stem;
        int resolution = graph.Input.Shape[1];
        var recognised = new NetworkSpec
        {
            Name = family switch
            {
                NetworkFamily.MobileNetV1 => "mobilenet_v1_tflite",
                NetworkFamily.MobileNetV2 => "mobilenet_v2_tflite",
                NetworkFamily.EfficientNetLite => "efficientnet_lite_tflite",
                NetworkFamily.EfficientNet => "efficientnet_tflite",
                NetworkFamily.MobileNetV3 => "mobilenet_v3_tflite",
                _ => throw Unrecognisable(family),
            },
            Family = family,
            Resolution = resolution,
            InputChannels = stem.InChannels,
            Stem = new StemSpec(stem.OutChannels, stem.KernelSize, stem.Stride, stem.Activation),
            Stages = Stages(graph, family),
            // MobileNetV3's head is a feature level of its own (it widens the last stage sixfold, as timm reports).
            Head = graph.Head is { } head ? new HeadSpec(head.OutChannels, head.Activation) { IsFeatureLevel = family == NetworkFamily.MobileNetV3 } : null,
            Classifier = DefaultClassifier(family) with
            {
                NumClasses = graph.Classifier?.Classes ?? 0,
                HiddenChannels = graph.Classifier?.Hidden?.Classes ?? (graph.Classifier is null ? DefaultClassifier(family).HiddenChannels : null),
            },
            BatchNorm = BatchNormSpec.TensorFlowPorted,
            Padding = PaddingMode.TensorFlowSame,
            StochasticDepthRate = family is NetworkFamily.EfficientNetLite or NetworkFamily.EfficientNet ? NetworkPresets.EfficientNetB0.StochasticDepthRate : 0,
            Layout = family is NetworkFamily.EfficientNetLite or NetworkFamily.EfficientNet ? FeatureLayout.StageSequentials : FeatureLayout.FlatBlocks,
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
        return Canonical(recognised) ?? recognised;
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
    private static StageSpec[] Stages(RecognizedGraph graph, NetworkFamily family)
    {
        BlockKind kind = family switch
        {
            NetworkFamily.MobileNetV1 => BlockKind.DepthwiseSeparable,
            NetworkFamily.MobileNetV2 => BlockKind.InvertedResidual,
            NetworkFamily.EfficientNetLite or NetworkFamily.EfficientNet => BlockKind.MBConv,
            NetworkFamily.MobileNetV3 => BlockKind.MobileNetV3,
            _ => throw Unrecognisable(family),
        };

        var stages = new List<StageSpec>();
        foreach (ImportedBlock block in graph.Blocks)
        {
            ActivationKind activation = block.Depthwise.Activation;
            double squeezeRatio = SqueezeRatioOf(block, kind);
            StageSpec? last = stages.Count > 0 ? stages[^1] : null;
            // torchvision's MobileNetV3 presets give every block a stage of its own.
            bool repeats = last is not null && kind != BlockKind.MobileNetV3 && block.Stride == 1 && block.InChannels == last.OutChannels && block.OutChannels == last.OutChannels
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
    /// The block's squeeze ratio: 0 without squeeze-and-excitation; 0.25 for MobileNetV3 and for EfficientNet when
    /// max(1, ⌊in · 0.25⌋) gives the file's count, else a ratio that lands on it. Its activation and gate must be
    /// what our block of that kind uses: the block's own and the sigmoid (MBConv), or ReLU and the hard sigmoid (MobileNetV3).
    /// </summary>
    private static double SqueezeRatioOf(ImportedBlock block, BlockKind kind)
    {
        if (block.Squeeze is not { } squeeze)
        {
            return 0;
        }

        // MobileNetV3's squeeze-and-excitation always uses ReLU and the hard sigmoid; EfficientNet's the block's activation and the sigmoid.
        bool mobileNetV3 = kind == BlockKind.MobileNetV3;
        ActivationKind expected = mobileNetV3 ? ActivationKind.ReLU : block.Depthwise.Activation;
        if (squeeze.Reduce.Activation != expected || squeeze.HardSigmoidGate != mobileNetV3)
        {
            throw GraphCursor.Mismatch(squeeze.Reduce.Operator, $"squeeze-and-excitation uses {squeeze.Reduce.Activation} and a {(squeeze.HardSigmoidGate ? "hard " : "")}sigmoid gate where a {kind} block uses {expected} and a {(mobileNetV3 ? "hard " : "")}sigmoid gate");
        }

        // Both count squeeze channels with ratio 0.25 (CheckExpansions reports a file that does not); EfficientNet's
        // count, max(1, ⌊in · ratio⌋), also has a ratio for any other count.
        int channels = squeeze.Reduce.OutChannels;
        return mobileNetV3 || BlockSpec.SqueezeChannelsOf(block.InChannels, 0.25) == channels ? 0.25 : (channels + 0.5) / block.InChannels;
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

    private static ClassifierSpec DefaultClassifier(NetworkFamily family) => family switch
    {
        NetworkFamily.MobileNetV1 => NetworkPresets.MobileNetV1.Classifier,
        NetworkFamily.MobileNetV2 => NetworkPresets.MobileNetV2.Classifier,
        NetworkFamily.EfficientNetLite => NetworkPresets.EfficientNetLite(0).Classifier,
        NetworkFamily.EfficientNet => NetworkPresets.EfficientNetB0.Classifier,
        NetworkFamily.MobileNetV3 => NetworkPresets.MobileNetV3Large.Classifier,
        _ => throw Unrecognisable(family),
    };

    /// <summary>A family <see cref="FamilyOf"/> never answers: reaching this is a bug in the importer, not a bad file.</summary>
    private static NotSupportedException Unrecognisable(NetworkFamily family) =>
        new($"The TFLite importer does not assemble {family} networks.");

    /// <summary>Our builder's spec for the same network, or <see langword="null"/> when no builder makes exactly this one.</summary>
    private static NetworkSpec? Canonical(NetworkSpec recognised)
    {
        IEnumerable<NetworkSpec?> candidates = recognised.Family switch
        {
            NetworkFamily.MobileNetV1 => Widths(recognised.Stages[^1].OutChannels / (double)NetworkPresets.MobileNetV1.Stages[^1].OutChannels).Select(width => TryBuild(() => new MobileNetV1Builder()
                .WithWidth(width).WithResolution(recognised.Resolution).WithActivation(recognised.Stem.Activation)
                .WithNumClasses(recognised.Classifier.NumClasses).WithBatchNorm(recognised.BatchNorm).WithPadding(recognised.Padding).BuildSpec())),
            NetworkFamily.MobileNetV2 => Widths(recognised.Stages[^1].OutChannels / (double)NetworkPresets.MobileNetV2.Stages[^1].OutChannels).Select(width => TryBuild(() => new MobileNetV2Builder()
                .WithWidth(width).WithResolution(recognised.Resolution)
                .WithNumClasses(recognised.Classifier.NumClasses).WithBatchNorm(recognised.BatchNorm).WithPadding(recognised.Padding).BuildSpec())),
            NetworkFamily.EfficientNetLite => Enumerable.Range(0, NetworkPresets.EfficientNetLiteVariants).Select(variant => LiteAt(variant, recognised)),
            NetworkFamily.MobileNetV3 => new[] { NetworkPresets.MobileNetV3Large, NetworkPresets.MobileNetV3Small }.SelectMany(preset =>
                Widths(recognised.Stages[^1].OutChannels / (double)preset.Stages[^1].OutChannels).Select(width => TryBuild(() =>
                    (preset == NetworkPresets.MobileNetV3Small ? new MobileNetV3Builder().Small() : new MobileNetV3Builder().Large())
                    .WithWidth(width).WithResolution(recognised.Resolution).WithNumClasses(recognised.Classifier.NumClasses)
                    .WithBatchNorm(recognised.BatchNorm).WithPadding(recognised.Padding).BuildSpec()))),
            NetworkFamily.EfficientNet => Enumerable.Range(0, NetworkPresets.EfficientNetVariants).Select(phi => TryBuild(() => new EfficientNetBuilder()
                .WithPhi(phi).WithResolution(recognised.Resolution).WithInputChannels(recognised.InputChannels)
                .WithNumClasses(recognised.Classifier.NumClasses).WithBatchNorm(recognised.BatchNorm).WithPadding(recognised.Padding).BuildSpec())),
            _ => throw Unrecognisable(recognised.Family),
        };

        return candidates.OfType<NetworkSpec>().FirstOrDefault(candidate => SameNetwork(candidate, recognised));
    }

    /// <summary>EfficientNet-Lite at the file's resolution: Lite models are often exported at sizes other than the variant's.</summary>
    private static NetworkSpec LiteAt(int variant, NetworkSpec recognised)
    {
        NetworkSpec preset = NetworkPresets.EfficientNetLite(variant);
        return preset with
        {
            Resolution = recognised.Resolution,
            Classifier = preset.Classifier with { NumClasses = recognised.Classifier.NumClasses },
            Padding = recognised.Padding,
            Scaling = preset.Scaling! with { ResolutionMultiplier = recognised.Resolution / (double)NetworkPresets.BaselineResolution },
        };
    }

    private static IEnumerable<double> Widths(double estimate) => CommonWidths.Prepend(estimate).Distinct();

    private static NetworkSpec? TryBuild(Func<NetworkSpec> build)
    {
        try
        {
            return build();
        }
        catch (ArgumentException)
        {
            return null;
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
