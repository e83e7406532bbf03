using EfficientNet.Sharp.Models;
using EfficientNet.Sharp.Weights;
using SkiaSharp;
using TorchSharp;
using static TorchSharp.torch;

namespace EfficientNet.Sharp.Inference;

/// <summary>
/// Classifies images with a network and the preprocessing its weights expect, returning the top-k
/// classes with their probabilities.
/// <code>
/// using var classifier = ImageClassifier.FromPretrained(EfficientNetWeights.B0_ImageNet1K_V1);
/// foreach (Prediction p in classifier.Classify("cat.jpg", topK: 5)) Console.WriteLine($"{p.Label} {p.Probability:P1}");
/// </code>
/// </summary>
/// <remarks>
/// Thread safety: one classifier may be shared by several threads; every <c>Classify</c> call works on its
/// own tensors, and the network runs in eval mode under <c>inference_mode</c> (docs/torchsharp-scalars.md).
/// </remarks>
// RS0026 (several overloads with optional parameters): Classify's overloads differ by where the image comes from
// (a path, a stream) and end with the same optional topK; none will gain another optional parameter.
#pragma warning disable RS0026
public sealed class ImageClassifier : IImageClassifier
{
    private readonly bool ownsModel;

    /// <summary>Wraps a network you built and loaded.</summary>
    /// <param name="model">The network; it is put in eval mode. It is not disposed with the classifier.</param>
    /// <param name="transform">The preprocessing of its weights.</param>
    /// <param name="labels">Class names by index, one per class; when none are given, the ImageNet names for 1000 classes (or 1001 with "background" first).</param>
    /// <exception cref="ArgumentException"><paramref name="labels"/> does not have one name per class, or the model is headless (<see cref="Specs.ClassifierSpec.IsHeadless"/>).</exception>
    public ImageClassifier(ConvNetwork model, EvalTransform transform, IReadOnlyList<string>? labels = null)
        : this(model, transform, labels, ownsModel: false)
    {
    }

    private ImageClassifier(ConvNetwork model, EvalTransform transform, IReadOnlyList<string>? labels, bool ownsModel)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(transform);
        Model = model;
        Transform = transform;
        if (model.Spec.Classifier.IsHeadless)
        {
            throw new ArgumentException($"{model.Spec.Name} is headless: it returns {model.Spec.FeatureChannels} pooled features, not class scores, so it cannot classify. Give it a classifier with ResetClassifier(classes) and train it, or use its features directly.", nameof(model));
        }

        int classes = model.Spec.Classifier.NumClasses;
        if (labels is not null && labels.Count != classes)
        {
            throw new ArgumentException($"The labels list has {labels.Count} names but the model has {classes} classes.", nameof(labels));
        }

        Labels = labels ?? ImageNetClasses.ForClassCount(classes);
        this.ownsModel = ownsModel;
        model.eval();
    }

    /// <summary>The network.</summary>
    public ConvNetwork Model { get; }

    /// <summary>The preprocessing applied to every image.</summary>
    public EvalTransform Transform { get; }

    /// <summary>Class names by index (empty when unknown).</summary>
    public IReadOnlyList<string> Labels { get; }

    /// <summary>The largest images accepted (<see cref="ImageLimits.Default"/> unless set), checked before decoding.</summary>
    public ImageLimits Limits { get; init; } = ImageLimits.Default;

    /// <summary>Builds the network a checkpoint fits, loads the checkpoint (downloading it if needed) and wraps it with its preprocessing and ImageNet labels.</summary>
    /// <param name="weights">The checkpoint.</param>
    /// <param name="cache">Where to find or put the file; default settings when omitted.</param>
    /// <param name="progress">Receives download progress.</param>
    /// <param name="cancellationToken">Stops the download.</param>
    /// <returns>A classifier that owns its network.</returns>
    public static ImageClassifier FromPretrained(PretrainedWeights weights, WeightCache? cache = null, IProgress<DownloadProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(weights);
        var model = new ConvNetwork(weights.Architecture);
        try
        {
            model.LoadPretrained(weights, cache, progress, cancellationToken);
            return new ImageClassifier(model, weights.Transform, null, ownsModel: true);
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    /// <summary>Classifies an image file.</summary>
    /// <param name="imagePath">A PNG, JPEG, BMP, … file.</param>
    /// <param name="topK">How many classes to return (≥ 1).</param>
    /// <returns>The most probable classes, most probable first.</returns>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file cannot be decoded completely, or is outside <see cref="Limits"/>.</exception>
    public IReadOnlyList<Prediction> Classify(string imagePath, int topK = 5) => ClassifyBatch([imagePath], topK)[0];

    /// <summary>Classifies an encoded image read from a stream.</summary>
    /// <param name="image">The image's bytes (read to the end).</param>
    /// <param name="topK">How many classes to return (≥ 1).</param>
    /// <returns>The most probable classes, most probable first.</returns>
    /// <exception cref="InvalidDataException">The data cannot be decoded completely, or is outside <see cref="Limits"/>.</exception>
    public IReadOnlyList<Prediction> Classify(Stream image, int topK = 5)
    {
        ArgumentNullException.ThrowIfNull(image);
        using Tensor input = ImagePreprocessor.ToBatch(ImagePreparation.Prepare(image, Transform, Limits), Transform);
        return ClassifyInput(input, topK);
    }

    /// <summary>Classifies several image files in one forward pass.</summary>
    /// <param name="imagePaths">The images.</param>
    /// <param name="topK">How many classes to return per image (≥ 1).</param>
    /// <returns>For each image, in order, its most probable classes.</returns>
    /// <exception cref="FileNotFoundException">A file does not exist.</exception>
    /// <exception cref="InvalidDataException">A file cannot be decoded completely, or is outside <see cref="Limits"/>.</exception>
    public IReadOnlyList<IReadOnlyList<Prediction>> ClassifyBatch(IReadOnlyList<string> imagePaths, int topK = 5)
    {
        ArgumentNullException.ThrowIfNull(imagePaths);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(imagePaths.Count, nameof(imagePaths));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(topK);
        int length = ImagePreparation.OutputLength(Transform);
        float[] batch = new float[imagePaths.Count * length];
        Parallelism.For(imagePaths.Count, i => ImagePreparation.Prepare(imagePaths[i], Transform, Limits).CopyTo(batch, i * length));
        LibTorch.EnsureAvailable();
        using Tensor input = torch.tensor(batch, [imagePaths.Count, Transform.Channels, Transform.CropSize, Transform.CropSize]);
        float[] probabilities = Probabilities(input);
        int classes = Model.Spec.Classifier.NumClasses;
        return [.. Enumerable.Range(0, imagePaths.Count).Select(i => Predictions.Top(probabilities.AsSpan(i * classes, classes), Labels, topK))];
    }

    /// <summary>Classifies a decoded image.</summary>
    /// <param name="image">The image.</param>
    /// <param name="topK">How many classes to return (≥ 1).</param>
    /// <returns>The most probable classes, most probable first.</returns>
    public IReadOnlyList<Prediction> ClassifyImage(SKBitmap image, int topK = 5)
    {
        ArgumentNullException.ThrowIfNull(image);
        using Tensor input = ImagePreprocessor.ToBatch(ImagePreparation.Prepare(image, Transform, Limits), Transform);
        return ClassifyInput(input, topK);
    }

    /// <summary>Classifies an already preprocessed batch of one (1 × C × H × W).</summary>
    /// <param name="input">The network input.</param>
    /// <param name="topK">How many classes to return (≥ 1).</param>
    /// <returns>The most probable classes, most probable first.</returns>
    public IReadOnlyList<Prediction> ClassifyInput(Tensor input, int topK = 5)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(topK);
        int classes = Model.Spec.Classifier.NumClasses;
        return Predictions.Top(Probabilities(input).AsSpan(0, classes), Labels, topK);
    }

    /// <summary>Runs the network on prepared images and returns the class probabilities, one row per image.</summary>
    /// <param name="input">N × C × H × W floats, row-major (<see cref="ImagePreparation"/> with <see cref="Transform"/>).</param>
    /// <param name="shape">N, C, H, W.</param>
    /// <returns>N rows of class probabilities.</returns>
    /// <exception cref="ArgumentException">The shape is not four positive sizes that match the input's length and the network's channels.</exception>
    public float[] Run(ReadOnlySpan<float> input, ReadOnlySpan<int> shape)
    {
        if (shape.Length != 4 || shape[0] < 1 || shape[1] != Model.Spec.InputChannels || shape[2] < 1 || shape[3] < 1 || (long)shape[0] * shape[1] * shape[2] * shape[3] != input.Length)
        {
            throw new ArgumentException($"The shape [{string.Join(", ", shape.ToArray())}] is not N × {Model.Spec.InputChannels} × H × W of the {input.Length} values given.", nameof(shape));
        }

        LibTorch.EnsureAvailable();
        using Tensor batch = torch.tensor(input.ToArray(), [shape[0], shape[1], shape[2], shape[3]]);
        return Probabilities(batch);
    }

    /// <summary>The softmax of the network's outputs, row by row.</summary>
    private float[] Probabilities(Tensor input)
    {
        using var scope = torch.NewDisposeScope();
        using var inference = torch.inference_mode();
        return nn.functional.softmax(Model.call(input), 1).cpu().data<float>().ToArray();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (ownsModel)
        {
            Model.Dispose();
        }
    }
}
#pragma warning restore RS0026
