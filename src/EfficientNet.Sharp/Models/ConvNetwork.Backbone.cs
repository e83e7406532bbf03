using EfficientNet.Sharp.Specs;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace EfficientNet.Sharp.Models;

/// <summary>The network as a backbone for other models: its feature levels, multi-scale features, freezing and a new head.</summary>
public sealed partial class ConvNetwork
{
    private IReadOnlyList<FeatureLevel>? featureInfo;

    /// <summary>The feature maps this network offers as a backbone (see <see cref="NetworkSpec.FeatureInfo"/>).</summary>
    /// <remarks>Worked out once: <see cref="ForwardFeatures(Tensor, IReadOnlyList{int})"/> reads it on every call, and a new classifier does not change it.</remarks>
    public IReadOnlyList<FeatureLevel> FeatureInfo => featureInfo ??= Spec.FeatureInfo;

    /// <summary>How many feature levels <see cref="FreezeStages"/> froze (0 when nothing is frozen).</summary>
    public int FrozenStages { get; private set; }

    /// <summary>
    /// Runs the feature extractor once and returns the feature maps of the chosen levels (timm's
    /// <c>features_only</c> with <c>out_indices</c>). Blocks after the deepest chosen level are not run, nor is
    /// the head convolution unless it is a level (MobileNetV3).
    /// </summary>
    /// <param name="input">An N × C × H × W image batch; H and W need not be equal.</param>
    /// <param name="levels">Indexes into <see cref="FeatureInfo"/>, each at most once; the maps come back in this order.</param>
    /// <returns>One feature map per level, N × channels × ⌈H / reduction⌉ × ⌈W / reduction⌉; the caller owns them.</returns>
    /// <exception cref="ArgumentException"><paramref name="levels"/> is empty, names a level twice or one that does not exist.</exception>
    public Tensor[] ForwardFeatures(Tensor input, IReadOnlyList<int> levels)
    {
        ArgumentNullException.ThrowIfNull(input);
        IReadOnlyList<FeatureLevel> chosen = FeatureLevels.Choose(FeatureInfo, levels);
        int last = chosen.Max(level => level.FeaturesChild);
        var maps = new Tensor[chosen.Count];
        Tensor x = input;
        for (int child = 0; child <= last; child++)
        {
            Tensor next = features[child].call(x);

            // Free what no one will see (by identity: Tensor.Equals compares values), unless the child handed it back.
            bool kept = ReferenceEquals(x, input) || ReferenceEquals(x, next) || maps.Any(map => ReferenceEquals(map, x));
            if (!kept)
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

    /// <summary>
    /// Whether every BatchNorm layer stays in eval mode — normalising by its running statistics, which stay as they
    /// are — even when the network is in training mode; γ and β still train. For fine-tuning with small batches, and
    /// for networks imported from TFLite, whose BatchNorm is folded into the convolutions. Setting it applies at once
    /// and holds through every later <see cref="train"/> call.
    /// </summary>
    public bool BatchNormFrozen
    {
        get => batchNormFrozen;
        set
        {
            batchNormFrozen = value;
            train(training);
        }
    }

    /// <inheritdoc />
    /// <remarks>Stages frozen by <see cref="FreezeStages"/>, and every BatchNorm while <see cref="BatchNormFrozen"/> is set, stay in eval mode.</remarks>
    public override void train(bool train = true)
    {
        base.train(train);
        foreach (nn.Module child in features.children().Take(frozenChildren))
        {
            child.eval();
        }

        if (batchNormFrozen)
        {
            foreach (Blocks.BatchNormLayer norm in modules().OfType<Blocks.BatchNormLayer>())
            {
                norm.eval();
            }
        }
    }

    /// <summary>
    /// Replaces the classifier with a new, freshly initialised one for <paramref name="numClasses"/> classes
    /// (for fine-tuning on another label set), on the network's device and dtype; <see cref="Spec"/> follows.
    /// The feature extractor is untouched. 0 removes the classifier: the network becomes headless and returns
    /// its pooled features (timm's <c>reset_classifier(0)</c>).
    /// </summary>
    /// <param name="numClasses">Classes of the new classifier, 0 to 1,000,000.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="numClasses"/> is outside that range.</exception>
    public void ResetClassifier(int numClasses)
    {
        if (numClasses is < 0 or > SpecLimits.MaxClasses)
        {
            throw new ArgumentOutOfRangeException(nameof(numClasses), numClasses, $"The class count must be in [0, {SpecLimits.MaxClasses:N0}] (0: headless).");
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
        classNames = null;
    }
}
