using EfficientNet.Sharp.Inference;
using EfficientNet.Sharp.IO;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace EfficientNet.Sharp.OnnxRuntime;

/// <summary>
/// Classifies images (or embeds them) with an ONNX model exported by EfficientNet.Sharp, run by ONNX Runtime alone:
/// no libtorch, no TorchSharp. Each image is prepared as the file's metadata records (<see cref="ImagePreparation"/>,
/// the same managed code the TorchSharp side uses) unless the options override it.
/// <code>
/// using var classifier = new OnnxClassifier("b0.onnx");
/// foreach (Prediction p in classifier.Classify("cat.jpg", topK: 3)) Console.WriteLine($"{p.Label} {p.Probability:P1}");
/// </code>
/// </summary>
/// <remarks>
/// Thread safety: ONNX Runtime sessions may run from several threads at once, and so may every method of this class.
/// The application references a native ONNX Runtime package (<c>Microsoft.ML.OnnxRuntime</c> for CPUs, <c>.Gpu</c>, …).
/// </remarks>
// RS0026 (several overloads with optional parameters): Classify's overloads differ by where the image comes from
// (a path, a stream) and end with the same optional topK; none will gain another optional parameter.
#pragma warning disable RS0026
public sealed class OnnxClassifier : IImageClassifier
{
    private readonly InferenceSession session;
    private readonly string inputName;
    private readonly string outputName;
    private readonly bool outputsProbabilities;
    private readonly bool fixedBatchOfOne;
    private volatile bool disposed;

    /// <summary>Loads a model file.</summary>
    /// <param name="modelPath">The <c>.onnx</c> file (an external data file beside it is found by ONNX Runtime).</param>
    /// <param name="options">Threads, execution providers, overrides; defaults when omitted.</param>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">
    /// ONNX Runtime cannot load the file; it is not a regular file or over 2 GiB; its input is not one float image batch
    /// the preprocessing can fill (3 channels, square, a batch of 1 or any); or it records no preprocessing and none was given.
    /// </exception>
    public OnnxClassifier(string modelPath, OnnxClassifierOptions? options = null)
    {
        InputFile.Check(modelPath, "ONNX model", InputFile.MaxOnnxBytes);
        options ??= new OnnxClassifierOptions();
        if (options.Threads is int threads)
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(threads, nameof(options));
        }

        // ONNX Runtime's own log would print its multi-line errors to stderr beside this library's exception.
        using var sessionOptions = new SessionOptions { LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL };
        if (options.Threads is int count)
        {
            sessionOptions.IntraOpNumThreads = count;
        }

        options.ConfigureSession?.Invoke(sessionOptions);
        try
        {
            session = new InferenceSession(modelPath, sessionOptions);
        }
        catch (OnnxRuntimeException exception)
        {
            throw new InvalidDataException($"ONNX Runtime cannot load '{modelPath}': {exception.Message}", exception);
        }

        try
        {
            ExportedModel model = ExportedModel.Describe(session, modelPath);
            (inputName, outputName, InputSize, fixedBatchOfOne, Output, OutputLength) = (model.InputName, model.OutputName, model.InputSize, model.FixedBatchOfOne, model.Output, model.OutputLength);
            outputsProbabilities = model.Output == ModelOutput.Probabilities;
            Transform = options.Transform ?? model.Preprocessing
                ?? throw new InvalidDataException($"'{modelPath}' records no preprocessing (its network did not know how its images were prepared): give OnnxClassifierOptions.Transform (for example EvalTransform.ImageNet(256, 224, Interpolation.Bilinear)), or export again from weights that record it (published weights, a training checkpoint, a TFLite file) or with OnnxExportOptions.Transform.");
            if (InputSize is int size && Transform.CropSize != size)
            {
                throw new InvalidDataException($"'{modelPath}' takes {size} × {size} images but its preprocessing crops {Transform.CropSize} × {Transform.CropSize}: the file's metadata (or the transform given) does not match the model.");
            }

            if (Transform.Channels != model.InputChannels)
            {
                throw new InvalidDataException($"'{modelPath}' takes {model.InputChannels}-channel input but its preprocessing makes {Transform.Channels}-channel images.");
            }

            Classes = Output is ModelOutput.Logits or ModelOutput.Probabilities ? OutputLength : 0;
            Labels = options.Labels ?? model.Labels ?? ImageNetClasses.ForClassCount(Classes);
            if (Classes > 0 && Labels.Count != Classes && Labels.Count != 0)
            {
                throw new InvalidDataException($"'{modelPath}' has {Classes} classes but {Labels.Count} labels.");
            }

            Limits = options.Limits;
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    /// <summary>The preprocessing applied to every image.</summary>
    public EvalTransform Transform { get; }

    /// <summary>Class names by index: the file's, the options', or ImageNet's for 1000 or 1001 classes; empty when unknown.</summary>
    public IReadOnlyList<string> Labels { get; }

    /// <summary>The number of classes the model scores; 0 for a feature extractor (see <see cref="Embed(string)"/>).</summary>
    public int Classes { get; }

    /// <summary>What the model outputs: class scores (logits or probabilities) or features.</summary>
    public ModelOutput Output { get; }

    /// <summary>Values per image of the model's output: the classes, or the feature vector's length.</summary>
    public int OutputLength { get; }

    /// <summary>The input height and width the model was exported for, or <see langword="null"/> for a symbolic size.</summary>
    public int? InputSize { get; }

    /// <summary>The largest images accepted, checked before decoding.</summary>
    public ImageLimits Limits { get; }

    /// <inheritdoc />
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file cannot be decoded, or the model is a feature extractor.</exception>
    /// <exception cref="ObjectDisposedException">The classifier was disposed.</exception>
    public IReadOnlyList<Prediction> Classify(string imagePath, int topK = 5) => ClassifyBatch([imagePath], topK)[0];

    /// <inheritdoc />
    /// <exception cref="InvalidDataException">The data cannot be decoded, or the model is a feature extractor.</exception>
    /// <exception cref="ObjectDisposedException">The classifier was disposed.</exception>
    public IReadOnlyList<Prediction> Classify(Stream image, int topK = 5)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(topK);
        ThrowIfUnusable(classifying: true);
        float[] probabilities = Run(ImagePreparation.Prepare(image, Transform, Limits), 1);
        return Predictions.Top(probabilities, Labels, topK);
    }

    /// <inheritdoc />
    /// <exception cref="FileNotFoundException">A file does not exist.</exception>
    /// <exception cref="InvalidDataException">A file cannot be decoded, or the model is a feature extractor.</exception>
    /// <exception cref="ObjectDisposedException">The classifier was disposed.</exception>
    public IReadOnlyList<IReadOnlyList<Prediction>> ClassifyBatch(IReadOnlyList<string> imagePaths, int topK = 5)
    {
        ArgumentNullException.ThrowIfNull(imagePaths);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(imagePaths.Count, nameof(imagePaths));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(topK);
        ThrowIfUnusable(classifying: true);
        float[] probabilities = Run(PrepareAll(imagePaths), imagePaths.Count);
        return [.. Enumerable.Range(0, imagePaths.Count).Select(i => Predictions.Top(probabilities.AsSpan(i * Classes, Classes), Labels, topK))];
    }

    /// <summary>The model's feature vector for an image: a headless export's pooled features, or a classifier's logits.</summary>
    /// <param name="imagePath">The image file.</param>
    /// <returns><see cref="OutputLength"/> values.</returns>
    /// <exception cref="ObjectDisposedException">The classifier was disposed.</exception>
    public float[] Embed(string imagePath)
    {
        ThrowIfUnusable(classifying: false);
        return RunRaw(PrepareAll([imagePath]), 1);
    }

    /// <summary>The model's feature vector for an encoded image read from a stream.</summary>
    /// <param name="image">The image's bytes.</param>
    /// <returns><see cref="OutputLength"/> values.</returns>
    /// <exception cref="ObjectDisposedException">The classifier was disposed.</exception>
    public float[] Embed(Stream image)
    {
        ArgumentNullException.ThrowIfNull(image);
        ThrowIfUnusable(classifying: false);
        return RunRaw(ImagePreparation.Prepare(image, Transform, Limits), 1);
    }

    /// <summary>
    /// Runs the model on prepared input (what <see cref="ImagePreparation.Prepare(string, EvalTransform, ImageLimits?)"/>
    /// makes with <see cref="Transform"/>): class probabilities for a classifier (softmax applied when the model outputs
    /// logits), the features for a feature extractor.
    /// </summary>
    /// <param name="input">N × C × H × W floats, row-major.</param>
    /// <param name="shape">The input's shape: N, C, H, W.</param>
    /// <returns>N × <see cref="OutputLength"/> values, row by row.</returns>
    /// <exception cref="ArgumentException">The shape is not four positive sizes, does not match the input's length, or does not fit the model.</exception>
    /// <exception cref="ObjectDisposedException">The classifier was disposed.</exception>
    public float[] Run(ReadOnlySpan<float> input, ReadOnlySpan<int> shape)
    {
        ThrowIfUnusable(classifying: false);
        if (shape.Length != 4 || shape[0] < 1 || shape[1] < 1 || shape[2] < 1 || shape[3] < 1 || (long)shape[0] * shape[1] * shape[2] * shape[3] != input.Length)
        {
            throw new ArgumentException($"The shape [{string.Join(", ", shape.ToArray())}] is not N × C × H × W of the {input.Length} values given.", nameof(shape));
        }

        if (shape[1] != Transform.Channels || (InputSize is int size && (shape[2] != size || shape[3] != size)))
        {
            throw new ArgumentException($"The model takes {Transform.Channels} × {InputSize?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "H"} × {InputSize?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "W"} images; got {shape[1]} × {shape[2]} × {shape[3]}.", nameof(shape));
        }

        float[] raw = RunBatches(input.ToArray(), shape[0], shape[1], shape[2], shape[3]);
        return outputsProbabilities || Classes == 0 ? raw : Predictions.Softmax(raw, Classes);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        disposed = true;
        session.Dispose();
    }

    /// <summary>Prepares the images on several threads (decoding dominates), into one N × C × H × W buffer.</summary>
    private float[] PrepareAll(IReadOnlyList<string> imagePaths)
    {
        int length = ImagePreparation.OutputLength(Transform);
        float[] batch = new float[imagePaths.Count * length];
        Parallelism.For(imagePaths.Count, i => ImagePreparation.Prepare(imagePaths[i], Transform, Limits).CopyTo(batch, i * length));
        return batch;
    }

    private float[] Run(float[] prepared, int images)
    {
        float[] raw = RunRaw(prepared, images);
        return outputsProbabilities ? raw : Predictions.Softmax(raw, Classes);
    }

    private float[] RunRaw(float[] prepared, int images) => RunBatches(prepared, images, Transform.Channels, Transform.CropSize, Transform.CropSize);

    /// <summary>Runs the prepared images (one at a time for a model exported with a fixed batch of one) and returns the output rows.</summary>
    private float[] RunBatches(float[] prepared, int images, int channels, int height, int width)
    {
        int perImage = channels * height * width;
        float[] output = new float[images * OutputLength];
        int step = fixedBatchOfOne ? 1 : images;
        for (int first = 0; first < images; first += step)
        {
            int count = Math.Min(step, images - first);
            var tensor = new DenseTensor<float>(prepared.AsMemory(first * perImage, count * perImage), [count, channels, height, width]);
            using IDisposableReadOnlyCollection<DisposableNamedOnnxValue> results = session.Run([NamedOnnxValue.CreateFromTensor(inputName, tensor)], [outputName]);
            Tensor<float> values = results[0].AsTensor<float>();
            if (Output == ModelOutput.FeatureMaps)
            {
                // The deepest map, averaged over its height and width: one vector per image, as a headless export gives.
                int spatial = checked((int)(values.Length / ((long)count * OutputLength)));
                int at = 0;
                foreach (float value in values)
                {
                    output[(first * OutputLength) + (at++ / spatial)] += value / spatial;
                }

                continue;
            }

            int written = 0;
            foreach (float value in values)
            {
                output[(first * OutputLength) + written++] = value;
            }
        }

        return output;
    }

    private void ThrowIfUnusable(bool classifying)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        if (classifying && Classes == 0)
        {
            throw new InvalidDataException($"The model outputs {(Output == ModelOutput.PooledFeatures ? "pooled features" : "feature maps")}, not class scores (a headless or backbone export): use Embed, not Classify.");
        }
    }
}
#pragma warning restore RS0026
