using System.Reflection;
using System.Text;
using EfficientNet.Sharp.Scaling;

namespace EfficientNet.Sharp.Specs;

/// <summary>
/// An immutable description of a whole network: stem, stages of blocks, head, classifier,
/// input resolution and regularisation. It holds no tensors; modules are built from it
/// (<c>ConvNetwork</c>), and presets and builders produce it.
/// Two specs are equal when every field and every stage are equal.
/// </summary>
public sealed record NetworkSpec
{
    /// <summary>A short identifier such as <c>efficientnet_b3</c> or <c>mobilenet_v2_0.75</c>.</summary>
    public required string Name { get; init; }

    /// <summary>The architecture family.</summary>
    public required NetworkFamily Family { get; init; }

    /// <summary>Input image size in pixels (square) the network is meant to run at; the module itself accepts any size.</summary>
    public required int Resolution { get; init; }

    /// <summary>Channels of the input image (3 for RGB, 1 for grayscale).</summary>
    public int InputChannels { get; init; } = 3;

    /// <summary>The first convolution.</summary>
    public required StemSpec Stem { get; init; }

    /// <summary>The stages in order; each stage's input channels equal the previous stage's output.</summary>
    public required IReadOnlyList<StageSpec> Stages
    {
        get => stages;
        init => stages = new ValueList<StageSpec>(value);
    }

    // A list equal by its items: the compiler's record equality then covers every field, the stages included.
    private readonly ValueList<StageSpec> stages = new([]);

    /// <summary>The 1×1 head convolution before pooling, or <see langword="null"/> when the last stage feeds the pooling directly (MobileNetV1).</summary>
    public HeadSpec? Head { get; init; }

    /// <summary>Dropout and the final linear layer.</summary>
    public required ClassifierSpec Classifier { get; init; }

    /// <summary>BatchNorm settings for every normalisation layer.</summary>
    public BatchNormSpec BatchNorm { get; init; } = BatchNormSpec.PyTorchDefault;

    /// <summary>How strided convolutions pad their input; it must match the weights' source.</summary>
    public PaddingMode Padding { get; init; } = PaddingMode.Symmetric;

    /// <summary>
    /// Stochastic depth rate p: the block with global index i of N drops its residual branch with
    /// probability p · i / N during training (0 disables it).
    /// </summary>
    public double StochasticDepthRate { get; init; }

    /// <summary>How blocks are grouped under <c>features</c>, which fixes the state_dict keys.</summary>
    public required FeatureLayout Layout { get; init; }

    /// <summary>How this spec was scaled from its family's baseline, or <see langword="null"/> for a hand-written spec.</summary>
    public ScalingSpec? Scaling { get; init; }

    /// <summary>Channels of the feature map that the global pooling receives.</summary>
    public int FeatureChannels => Head?.OutChannels ?? Stages[^1].OutChannels;

    /// <summary>Values per image that the network returns: the class count, or the pooled features of a headless network.</summary>
    public int OutputChannels => Classifier.IsHeadless ? FeatureChannels : Classifier.NumClasses;

    /// <summary>Total number of blocks over all stages.</summary>
    public int BlockCount => Stages.Sum(s => s.Repeats);

    /// <summary>The product of all strides: how many input pixels one feature-map pixel spans (32 for every preset).</summary>
    public int TotalStride => Stages.Aggregate(Stem.Stride, (product, stage) => product * stage.Stride);

    /// <summary>
    /// The feature maps a backbone offers (timm's <c>feature_info</c>): for each reduction the blocks reach, the
    /// output of the last layer at that reduction, finest first, as timm's builder chooses them. The stem is a
    /// level only when no block keeps its reduction, and the head convolution only when
    /// <see cref="HeadSpec.IsFeatureLevel"/> says so (MobileNetV3, as in timm). For EfficientNet-B0
    /// that is 16, 24, 40, 112 and 320 channels at reductions 2, 4, 8, 16 and 32.
    /// </summary>
    public IReadOnlyList<FeatureLevel> FeatureInfo
    {
        get
        {
            int reduction = Stem.Stride;
            var levels = new List<FeatureLevel> { new(0, string.Empty, Stem.OutChannels, reduction) { FeaturesChild = 0 } };
            foreach (BlockSpec block in Blocks)
            {
                reduction *= block.Stride;
                var level = new FeatureLevel(0, string.Empty, block.OutChannels, reduction) { FeaturesChild = ModulePaths.FeaturesChildOf(this, block) };
                if (levels.Count > 0 && levels[^1].Reduction == reduction)
                {
                    levels[^1] = level;
                }
                else
                {
                    levels.Add(level);
                }
            }

            if (Head is { IsFeatureLevel: true } head)
            {
                // A 1 × 1, stride-1 convolution: it keeps the last level's reduction and takes its place.
                levels[^1] = new FeatureLevel(0, string.Empty, head.OutChannels, reduction) { FeaturesChild = ModulePaths.HeadChild(this) };
            }

            return [.. levels.Select((level, i) => level with { Index = i, ModulePath = $"features.{level.FeaturesChild}" })];
        }
    }

    /// <summary>
    /// Every block in order, with the per-block values that a stage implies: only the first block of a
    /// stage has its stride and channel change, and the stochastic-depth probability grows linearly
    /// with the block's global index.
    /// </summary>
    public IReadOnlyList<BlockSpec> Blocks
    {
        get
        {
            var blocks = new List<BlockSpec>(BlockCount);
            int total = BlockCount;
            for (int s = 0; s < Stages.Count; s++)
            {
                StageSpec stage = Stages[s];
                for (int j = 0; j < stage.Repeats; j++)
                {
                    int index = blocks.Count;
                    blocks.Add(new BlockSpec(
                        stage.Block,
                        StageIndex: s,
                        IndexInStage: j,
                        Index: index,
                        InChannels: j == 0 ? stage.InChannels : stage.OutChannels,
                        OutChannels: stage.OutChannels,
                        KernelSize: stage.KernelSize,
                        Stride: j == 0 ? stage.Stride : 1,
                        stage.ExpandRatio,
                        stage.SqueezeRatio,
                        stage.Activation,
                        StochasticDepthProbability: StochasticDepthRate * index / total));
                }
            }

            return blocks;
        }
    }

    /// <summary>Checks that the spec describes a network that can be built, and names the first inconsistency.</summary>
    /// <exception cref="ArgumentException">The spec is inconsistent; the message says which field and why.</exception>
    public void Validate()
    {
        Require(!string.IsNullOrWhiteSpace(Name), "Name must not be empty.");
        Require(InputChannels is >= 1 and <= SpecLimits.MaxChannels, $"InputChannels must be in [1, {SpecLimits.MaxChannels:N0}] (got {InputChannels}).");
        Require(Stem.OutChannels is >= 1 and <= SpecLimits.MaxChannels, $"Stem.OutChannels must be in [1, {SpecLimits.MaxChannels:N0}] (got {Stem.OutChannels}).");
        Require(IsValidKernel(Stem.KernelSize), $"Stem.KernelSize must be a positive odd number (got {Stem.KernelSize}).");
        Require(Stem.Stride is 1 or 2, $"Stem.Stride must be 1 or 2 (got {Stem.Stride}).");
        Require(Stages.Count >= 1, "Stages must hold at least one stage.");

        int channels = Stem.OutChannels;
        for (int i = 0; i < Stages.Count; i++)
        {
            StageSpec stage = Stages[i];
            string at = $"Stages[{i}]";
            Require(stage.InChannels == channels, $"{at}.InChannels is {stage.InChannels} but the layer before it outputs {channels} channels.");
            Require(stage.OutChannels is >= 1 and <= SpecLimits.MaxChannels, $"{at}.OutChannels must be in [1, {SpecLimits.MaxChannels:N0}] (got {stage.OutChannels}).");
            Require(stage.Repeats is >= 1 and <= SpecLimits.MaxRepeats, $"{at}.Repeats must be in [1, {SpecLimits.MaxRepeats:N0}] (got {stage.Repeats}).");
            Require(stage.ExpandRatio * stage.InChannels <= SpecLimits.MaxChannels, $"{at} expands {stage.InChannels} channels {stage.ExpandRatio}× to more than {SpecLimits.MaxChannels:N0}.");
            Require(IsValidKernel(stage.KernelSize), $"{at}.KernelSize must be a positive odd number (got {stage.KernelSize}).");
            Require(stage.Stride is 1 or 2, $"{at}.Stride must be 1 or 2 (got {stage.Stride}).");
            Require(double.IsFinite(stage.ExpandRatio) && stage.ExpandRatio >= 1, $"{at}.ExpandRatio must be ≥ 1 (got {stage.ExpandRatio}).");
            Require(double.IsFinite(stage.SqueezeRatio) && stage.SqueezeRatio is >= 0 and <= 1, $"{at}.SqueezeRatio must be in [0, 1] (got {stage.SqueezeRatio}).");
            Require(BlockSpec.HasSqueezeExcitationOf(stage.Block) || stage.SqueezeRatio == 0, $"{at}: a {stage.Block} block has no squeeze-and-excitation (SqueezeRatio {stage.SqueezeRatio}).");
            Require(BlockSpec.CanExpandOf(stage.Block) || stage.ExpandRatio == 1, $"{at}: a {stage.Block} block does not expand (ExpandRatio {stage.ExpandRatio}).");
            channels = stage.OutChannels;
        }

        Require(Head is null || Head.OutChannels is >= 1 and <= SpecLimits.MaxChannels, $"Head.OutChannels must be in [1, {SpecLimits.MaxChannels:N0}] (got {Head?.OutChannels}).");
        Require(Classifier.NumClasses is >= 0 and <= SpecLimits.MaxClasses, $"Classifier.NumClasses must be in [0, {SpecLimits.MaxClasses:N0}] (0: headless) (got {Classifier.NumClasses}).");
        Require(Classifier.Dropout is >= 0 and < 1, $"Classifier.Dropout must be in [0, 1) (got {Classifier.Dropout}).");
        Require(Classifier.HiddenChannels is null or (>= 1 and <= SpecLimits.MaxChannels), $"Classifier.HiddenChannels must be in [1, {SpecLimits.MaxChannels:N0}] (got {Classifier.HiddenChannels}).");
        Require(BatchNorm.Epsilon > 0 && double.IsFinite(BatchNorm.Epsilon), $"BatchNorm.Epsilon must be positive (got {BatchNorm.Epsilon}).");
        Require(BatchNorm.Momentum is > 0 and <= 1, $"BatchNorm.Momentum must be in (0, 1] (got {BatchNorm.Momentum}).");
        Require(StochasticDepthRate is >= 0 and < 1, $"StochasticDepthRate must be in [0, 1) (got {StochasticDepthRate}).");
        Require(Resolution >= TotalStride, $"Resolution {Resolution} px is smaller than the network's total stride {TotalStride}: the last feature map would be empty.");
        Require(Resolution <= SpecLimits.MaxResolution, $"Resolution {Resolution} px is over the {SpecLimits.MaxResolution:N0} px a spec may have.");

        static bool IsValidKernel(int k) => k >= 1 && k % 2 == 1;

        void Require(bool condition, string message)
        {
            if (!condition)
            {
                throw new ArgumentException($"Invalid network spec '{Name}': {message}", "spec");
            }
        }
    }

    /// <summary>The properties a spec is made of (those that can be set), in declaration order; not the ones computed from them.</summary>
    private static readonly PropertyInfo[] Settable = [.. typeof(NetworkSpec).GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(property => property.SetMethod is not null)];

    /// <summary>Prints the settable properties only: the computed ones (blocks, feature levels) would repeat them at length.</summary>
    private bool PrintMembers(StringBuilder builder)
    {
        builder.AppendJoin(", ", Settable.Select(property => $"{property.Name} = {property.GetValue(this)}"));
        return true;
    }
}
