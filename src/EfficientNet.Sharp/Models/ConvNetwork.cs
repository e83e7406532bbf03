using EfficientNet.Sharp.Blocks;
using EfficientNet.Sharp.Specs;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace EfficientNet.Sharp.Models;

/// <summary>
/// A MobileNet or EfficientNet built from a <see cref="NetworkSpec"/>: <c>features</c> (stem, blocks,
/// head convolution), global average pooling, and <c>classifier</c> (dropout, linear). Its state_dict
/// keys equal torchvision's for the same architecture (<c>features.0.0.weight</c>,
/// <c>features.1.0.block.0.0.weight</c>, <c>classifier.1.weight</c>, …).
/// The input is an NCHW float tensor; the output holds one row of logits per image.
/// </summary>
/// <remarks>
/// Thread safety: forward passes in eval mode (under <c>no_grad</c> or <c>inference_mode</c>) may run on one
/// network from several threads at once; measured to give the single-thread output bit for bit
/// (docs/torchsharp-scalars.md). Training, <c>train()</c>/<c>eval()</c>, loading weights and
/// <see cref="ForInference"/> change the network and must not overlap with other calls.
/// </remarks>
public sealed class ConvNetwork : nn.Module<Tensor, Tensor>
{
    private readonly Sequential features;
    private Sequential classifier;

    /// <summary>How many children of <c>features</c>, from the stem on, <see cref="FreezeStages"/> froze (0: none).</summary>
    private int frozenChildren;

    /// <summary>Builds the network a spec describes and initialises its weights as torchvision does.</summary>
    /// <param name="spec">The architecture; it is validated first.</param>
    /// <exception cref="ArgumentException">The spec is inconsistent (see <see cref="NetworkSpec.Validate"/>).</exception>
    public ConvNetwork(NetworkSpec spec)
        : base(LibTorch.Require(spec?.Name ?? nameof(ConvNetwork)))
    {
        ArgumentNullException.ThrowIfNull(spec);
        spec.Validate();
        Spec = spec;

        var layers = new List<nn.Module<Tensor, Tensor>>
        {
            new ConvNormActivation(spec.InputChannels, spec.Stem.OutChannels, spec.Stem.KernelSize, spec.Stem.Stride, activation: spec.Stem.Activation, batchNorm: spec.BatchNorm, padding: spec.Padding),
        };
        layers.AddRange(CreateBlockLayers(spec));
        if (spec.Head is { } head)
        {
            layers.Add(new ConvNormActivation(spec.Stages[^1].OutChannels, head.OutChannels, 1, activation: head.Activation, batchNorm: spec.BatchNorm));
        }

        features = nn.Sequential(layers);
        classifier = CreateClassifier(spec.FeatureChannels, spec.Classifier);
        RegisterComponents();
        WeightInitialization.Apply(this, spec.Classifier.Initialization);
    }

    /// <summary>The architecture this network was built from.</summary>
    public NetworkSpec Spec { get; private set; }

    /// <summary>The feature maps this network offers as a backbone (see <see cref="NetworkSpec.FeatureInfo"/>).</summary>
    public IReadOnlyList<FeatureLevel> FeatureInfo => Spec.FeatureInfo;

    /// <summary>How many feature levels <see cref="FreezeStages"/> froze (0 when nothing is frozen).</summary>
    public int FrozenStages { get; private set; }

    /// <summary>
    /// The feature extractor: stem, blocks and head convolution. Its output is the last feature map,
    /// N × <see cref="NetworkSpec.FeatureChannels"/> × H/32 × W/32 for every preset.
    /// </summary>
    public Sequential Features => features;

    /// <summary>
    /// The classifier: dropout (child <c>0</c>) and the linear layer (child <c>1</c>); for MobileNetV3, the hidden
    /// linear layer, hard-swish, dropout and the last linear layer (children <c>0</c> to <c>3</c>).
    /// </summary>
    public Sequential Classifier => classifier;

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        using var scope = torch.NewDisposeScope();
        Tensor featureMap = features.call(input);
        Tensor pooled = featureMap.mean([2L, 3L]);
        return classifier.call(pooled).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// A copy prepared for fast inference: BatchNorm folded into the convolutions, activations in place,
    /// inference mode, and optionally channels-last memory layout. This network is left untouched.
    /// </summary>
    /// <param name="channelsLast">
    /// Lay tensors out channels-last (NHWC strides). On this project's CPU benchmarks it made
    /// EfficientNet and MobileNet faster; see docs/benchmarks.md.
    /// </param>
    /// <returns>The prepared copy, which owns its own tensors.</returns>
    public InferenceNetwork ForInference(bool channelsLast = true) => new(this, channelsLast);

    /// <summary>Runs only the feature extractor and returns the last feature map (before pooling).</summary>
    /// <param name="input">An N × C × H × W image batch.</param>
    /// <returns>The feature map; the caller owns it.</returns>
    public Tensor ForwardFeatures(Tensor input) => features.call(input);

    /// <summary>
    /// Runs the feature extractor once and returns the feature maps of the chosen levels (timm's
    /// <c>features_only</c> with <c>out_indices</c>). Blocks after the deepest chosen level are not run, and
    /// the head convolution never is.
    /// </summary>
    /// <param name="input">An N × C × H × W image batch; H and W need not be equal.</param>
    /// <param name="levels">Indexes into <see cref="FeatureInfo"/>, each at most once; the maps come back in this order.</param>
    /// <returns>One feature map per level, N × channels × ⌈H / reduction⌉ × ⌈W / reduction⌉; the caller owns them.</returns>
    /// <exception cref="ArgumentException"><paramref name="levels"/> is empty, names a level twice or one that does not exist.</exception>
    public Tensor[] ForwardFeatures(Tensor input, IReadOnlyList<int> levels)
    {
        ArgumentNullException.ThrowIfNull(input);
        IReadOnlyList<FeatureLevel> chosen = FeatureLevels.Choose(FeatureInfo, levels);
        nn.Module<Tensor, Tensor>[] children = [.. features.children().Cast<nn.Module<Tensor, Tensor>>()];
        int last = chosen.Max(level => level.FeaturesChild);
        var maps = new Tensor[chosen.Count];
        Tensor x = input;
        for (int child = 0; child <= last; child++)
        {
            Tensor next = children[child].call(x);
            if (!ReferenceEquals(x, input) && !maps.Contains(x))
            {
                x.Dispose();
            }

            x = next;
            for (int i = 0; i < chosen.Count; i++)
            {
                if (chosen[i].FeaturesChild == child)
                {
                    maps[i] = x;
                }
            }
        }

        return maps;
    }

    /// <summary>
    /// Freezes the stem and every block up to and including feature level <paramref name="levels"/> − 1, as
    /// detection frameworks freeze a backbone's first stages: their parameters stop requiring gradients and
    /// their BatchNorm layers stay in eval mode (running statistics unchanged) even when the network is put in
    /// training mode. <c>FreezeStages(0)</c> unfreezes everything, as <see cref="Unfreeze"/> does.
    /// </summary>
    /// <param name="levels">How many feature levels to freeze, 0 to <see cref="FeatureInfo"/>.Count.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="levels"/> is outside that range.</exception>
    public void FreezeStages(int levels)
    {
        IReadOnlyList<FeatureLevel> info = FeatureInfo;
        ArgumentOutOfRangeException.ThrowIfNegative(levels);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(levels, info.Count);
        Unfreeze();
        int children = levels == 0 ? 0 : info[levels - 1].FeaturesChild + 1;
        foreach (nn.Module child in features.children().Take(children))
        {
            foreach (Parameter parameter in child.parameters())
            {
                parameter.requires_grad = false;
            }

            child.eval();
        }

        frozenChildren = children;
        FrozenStages = levels;
    }

    /// <summary>Undoes <see cref="FreezeStages"/>: every parameter requires gradients again and every layer follows the network's mode.</summary>
    public void Unfreeze()
    {
        foreach (nn.Module child in features.children().Take(frozenChildren))
        {
            foreach (Parameter parameter in child.parameters())
            {
                parameter.requires_grad = true;
            }

            child.train(training);
        }

        frozenChildren = 0;
        FrozenStages = 0;
    }

    /// <inheritdoc />
    /// <remarks>Stages frozen by <see cref="FreezeStages"/> stay in eval mode.</remarks>
    public override void train(bool train = true)
    {
        base.train(train);
        foreach (nn.Module child in features.children().Take(frozenChildren))
        {
            child.eval();
        }
    }

    /// <summary>
    /// Replaces the classifier with a new, freshly initialised one for <paramref name="numClasses"/> classes
    /// (for fine-tuning on another label set), on the network's device and dtype; <see cref="Spec"/> follows.
    /// The feature extractor is untouched.
    /// </summary>
    /// <param name="numClasses">Classes of the new classifier, 1 to 1,000,000.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="numClasses"/> is outside that range.</exception>
    public void ResetClassifier(int numClasses)
    {
        if (numClasses is < 1 or > SpecLimits.MaxClasses)
        {
            throw new ArgumentOutOfRangeException(nameof(numClasses), numClasses, $"The class count must be in [1, {SpecLimits.MaxClasses:N0}].");
        }

        Sequential replacement = CreateClassifier(Spec.FeatureChannels, Spec.Classifier with { NumClasses = numClasses });
        WeightInitialization.Apply(replacement, Spec.Classifier.Initialization);
        Parameter reference = features.parameters().First();
        replacement.to(reference.dtype).to(reference.device);
        replacement.train(training);

        Sequential old = classifier;
        register_module("classifier", null!);
        register_module("classifier", replacement);
        classifier = replacement;
        old.Dispose();
        Spec = Spec with { Classifier = Spec.Classifier with { NumClasses = numClasses } };
    }

    /// <summary>Dropout and linear; or MobileNetV3's linear, hard-swish, dropout and linear (same child names as torchvision).</summary>
    private static Sequential CreateClassifier(int featureChannels, ClassifierSpec spec) => spec.HiddenChannels is { } hidden
        ? nn.Sequential(nn.Linear(featureChannels, hidden), nn.Hardswish(), nn.Dropout(spec.Dropout), nn.Linear(hidden, spec.NumClasses))
        : nn.Sequential(nn.Dropout(spec.Dropout), nn.Linear(featureChannels, spec.NumClasses));

    private static IEnumerable<nn.Module<Tensor, Tensor>> CreateBlockLayers(NetworkSpec spec)
    {
        IReadOnlyList<BlockSpec> blocks = spec.Blocks;
        if (spec.Layout == FeatureLayout.FlatBlocks)
        {
            return blocks.Select(b => BlockFactory.Create(b, spec.BatchNorm, spec.Padding));
        }

        return blocks
            .GroupBy(b => b.StageIndex)
            .Select(stage => (nn.Module<Tensor, Tensor>)nn.Sequential(stage.Select(b => BlockFactory.Create(b, spec.BatchNorm, spec.Padding))));
    }
}
