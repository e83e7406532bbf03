using EfficientNet.Sharp.Blocks;
using EfficientNet.Sharp.Inference;
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
public sealed partial class ConvNetwork : nn.Module<Tensor, Tensor>
{
    private readonly Sequential features;
    private Sequential classifier;

    /// <summary>How many children of <c>features</c>, from the stem on, <see cref="FreezeStages"/> froze (0: none).</summary>
    private int frozenChildren;
    private bool batchNormFrozen;
    private bool disposed;

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

    /// <summary>
    /// The preprocessing the network's weights expect, when known: set by loading published weights, a checkpoint that
    /// records it (a training checkpoint of this library does), a TFLite import, or training. An ONNX export records it
    /// (<c>ExportOnnx</c>), so the file prepares its own images. Null when nothing said it; set it yourself then.
    /// </summary>
    public EvalTransform? Preprocessing { get; set; }

    /// <summary>
    /// The names of the classifier's classes, in index order, when known: set with <see cref="Preprocessing"/> (ImageNet's
    /// for published ImageNet weights, a training checkpoint's own). Cleared when the classifier is replaced.
    /// </summary>
    /// <exception cref="ArgumentException">Set to a list that does not have one name per class.</exception>
    public IReadOnlyList<string>? ClassNames
    {
        get => classNames;
        set => classNames = value is null || value.Count == Spec.Classifier.NumClasses ? value
            : throw new ArgumentException($"{value.Count} class names were given for {Spec.Name}'s {Spec.Classifier.NumClasses} classes.", nameof(value));
    }

    private IReadOnlyList<string>? classNames;


    /// <summary>
    /// The feature extractor: stem, blocks and head convolution. Its output is the last feature map,
    /// N × <see cref="NetworkSpec.FeatureChannels"/> × H/32 × W/32 for every preset.
    /// </summary>
    public Sequential Features => features;

    /// <summary>
    /// The classifier: dropout (child <c>0</c>) and the linear layer (child <c>1</c>); for MobileNetV3, the hidden
    /// linear layer, hard-swish, dropout and the last linear layer (children <c>0</c> to <c>3</c>); empty for a
    /// headless network (<see cref="ClassifierSpec.IsHeadless"/>).
    /// </summary>
    public Sequential Classifier => classifier;

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        ThrowIfDisposed();
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
    /// <exception cref="ObjectDisposedException">The network was disposed.</exception>
    public InferenceNetwork ForInference(bool channelsLast = true)
    {
        ThrowIfDisposed();
        return new(this, channelsLast);
    }

    /// <summary>Throws <see cref="ObjectDisposedException"/> once the network's tensors are freed (libtorch would report a baffling error instead).</summary>
    internal void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(disposed, this);

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        disposed = true;
        base.Dispose(disposing);
    }

    /// <summary>Runs only the feature extractor and returns the last feature map (before pooling).</summary>
    /// <param name="input">An N × C × H × W image batch.</param>
    /// <returns>The feature map; the caller owns it.</returns>
    public Tensor ForwardFeatures(Tensor input) => features.call(input);

    /// <summary>
    /// Dropout and linear; or MobileNetV3's linear, hard-swish, dropout and linear (same child names as
    /// torchvision); or, headless, an empty sequence that returns the pooled features.
    /// </summary>
    private static Sequential CreateClassifier(int featureChannels, ClassifierSpec spec) =>
        spec.IsHeadless ? nn.Sequential()
        : spec.HiddenChannels is { } hidden
        ? nn.Sequential(nn.Linear(featureChannels, hidden), nn.Hardswish(), nn.Dropout(spec.Dropout), nn.Linear(hidden, spec.NumClasses))
        : nn.Sequential(nn.Dropout(spec.Dropout), nn.Linear(featureChannels, spec.NumClasses));

    private static IEnumerable<nn.Module<Tensor, Tensor>> CreateBlockLayers(NetworkSpec spec)
    {
        IReadOnlyList<BlockSpec> blocks = spec.Blocks;
        if (spec.Layout == FeatureLayout.FlatBlocks)
        {
            return blocks.Select(b => (nn.Module<Tensor, Tensor>)new BlockModule(b, spec.BatchNorm, spec.Padding));
        }

        return blocks
            .GroupBy(b => b.StageIndex)
            .Select(stage => (nn.Module<Tensor, Tensor>)nn.Sequential(stage.Select(b => (nn.Module<Tensor, Tensor>)new BlockModule(b, spec.BatchNorm, spec.Padding))));
    }
}
