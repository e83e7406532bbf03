using System.Globalization;
using EfficientNet.Sharp.Inference;
using EfficientNet.Sharp.IO;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using TorchSharp;
using static TorchSharp.torch;
using Tensor = TorchSharp.torch.Tensor;

namespace EfficientNet.Sharp.OnnxRuntime;

/// <summary>
/// Classifies images with an ONNX model exported by EfficientNet.Sharp, run by ONNX Runtime, preparing each
/// image as the file's metadata says (or as the options override). The counterpart of
/// <see cref="ImageClassifier"/> for deployment: the same transforms, labels and results.
/// </summary>
/// <remarks>Thread safety: ONNX Runtime sessions may be run from several threads at once, and so may this classifier.</remarks>
public sealed class OnnxClassifier : IDisposable
{
    private readonly InferenceSession session;
    private readonly string inputName;
    private readonly bool outputsProbabilities;
    private readonly bool fixedBatchOfOne;
    private bool disposed;

    /// <summary>Loads a model file.</summary>
    /// <param name="modelPath">The <c>.onnx</c> file (an external data file beside it is found by ONNX Runtime).</param>
    /// <param name="options">Threads, execution providers, overrides; defaults when omitted.</param>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">ONNX Runtime cannot load the file, it has not one float image input and one output, or it records no preprocessing and none was given.</exception>
    public OnnxClassifier(string modelPath, OnnxClassifierOptions? options = null)
    {
        InputFile.Check(modelPath, "ONNX model", InputFile.MaxOnnxBytes);
        options ??= new OnnxClassifierOptions();

        // ONNX Runtime's own log would print its multi-line errors to stderr beside this library's exception.
        using var sessionOptions = new SessionOptions { LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL };
        if (options.Threads is int threads)
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(threads, nameof(options));
            sessionOptions.IntraOpNumThreads = threads;
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
            (inputName, Classes, InputSize, fixedBatchOfOne) = Describe(session, modelPath);
            IReadOnlyDictionary<string, string> metadata = session.ModelMetadata.CustomMetadataMap;
            outputsProbabilities = metadata.TryGetValue("output", out string? output) && output == "probabilities";
            if (output is "features" or "pooled features")
            {
                throw new InvalidDataException($"'{modelPath}' outputs {output}, not class scores (a backbone or headless export): it cannot classify.");
            }

            Transform = options.Transform
                ?? (metadata.TryGetValue("preprocessing", out string? json) ? EvalTransformJson.Read(json)
                : throw new InvalidDataException($"'{modelPath}' records no preprocessing (metadata 'preprocessing'); give OnnxClassifierOptions.Transform."));
            Labels = options.Labels
                ?? (metadata.TryGetValue("labels", out string? names) ? names.Split('\n') : ImageNetClasses.ForClassCount(Classes));
            if (Labels.Count != Classes && Labels.Count != 0)
            {
                throw new InvalidDataException($"'{modelPath}' has {Classes} classes but {Labels.Count} labels.");
            }

            if (InputSize is int size && Transform.CropSize != size)
            {
                throw new InvalidDataException($"'{modelPath}' takes {size} × {size} images but its preprocessing crops {Transform.CropSize} × {Transform.CropSize}: the file's metadata (or the transform given) does not match the model.");
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

    /// <summary>Class names by index (empty when unknown).</summary>
    public IReadOnlyList<string> Labels { get; }

    /// <summary>The number of classes the model outputs.</summary>
    public int Classes { get; }

    /// <summary>The input height and width the model was exported for, or <see langword="null"/> for a symbolic size.</summary>
    public int? InputSize { get; }

    /// <summary>The largest images accepted.</summary>
    public ImageLimits Limits { get; }

    /// <summary>Classifies an image file.</summary>
    /// <param name="imagePath">A PNG, JPEG, BMP, … file.</param>
    /// <param name="topK">How many classes to return (≥ 1).</param>
    /// <returns>The most probable classes, most probable first.</returns>
    public IReadOnlyList<Prediction> Classify(string imagePath, int topK = 5) => ClassifyBatch([imagePath], topK)[0];

    /// <summary>Classifies several image files in one run of the model.</summary>
    /// <param name="imagePaths">The images.</param>
    /// <param name="topK">How many classes to return per image (≥ 1).</param>
    /// <returns>For each image, its most probable classes.</returns>
    public IReadOnlyList<IReadOnlyList<Prediction>> ClassifyBatch(IReadOnlyList<string> imagePaths, int topK = 5)
    {
        ArgumentNullException.ThrowIfNull(imagePaths);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(imagePaths.Count, nameof(imagePaths));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(topK);
        ObjectDisposedException.ThrowIf(disposed, this);
        using var scope = torch.NewDisposeScope();
        Tensor batch = torch.cat([.. imagePaths.Select(path => ImagePreprocessor.Preprocess(path, Transform, Limits))], 0);
        float[] probabilities = fixedBatchOfOne
            ? [.. Enumerable.Range(0, imagePaths.Count).SelectMany(i => Run(batch.narrow(0, i, 1)))]
            : Run(batch);
        return [.. Enumerable.Range(0, imagePaths.Count).Select(i => Top(probabilities.AsSpan(i * Classes, Classes), topK))];
    }

    /// <summary>Runs the model on a prepared batch and returns class probabilities, one row of <see cref="Classes"/> values per image.</summary>
    /// <param name="input">N × C × H × W float32 (as <see cref="ImagePreprocessor.Apply"/> makes it).</param>
    /// <returns>N × <see cref="Classes"/> probabilities, row by row.</returns>
    public float[] Run(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        ObjectDisposedException.ThrowIf(disposed, this);

        // In a scope: the converted copy must stay referenced while libtorch makes it contiguous.
        using var scope = torch.NewDisposeScope();
        float[] values = input.to_type(ScalarType.Float32).contiguous().data<float>().ToArray();
        var tensor = new DenseTensor<float>(values, [.. input.shape.Select(d => checked((int)d))]);
        using IDisposableReadOnlyCollection<DisposableNamedOnnxValue> results = session.Run([NamedOnnxValue.CreateFromTensor(inputName, tensor)]);
        float[] output = [.. results.First().AsEnumerable<float>()];
        return outputsProbabilities ? output : Softmax(output, Classes);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        disposed = true;
        session.Dispose();
    }

    private IReadOnlyList<Prediction> Top(ReadOnlySpan<float> probabilities, int topK)
    {
        float[] row = probabilities.ToArray();
        return [.. Enumerable.Range(0, row.Length).OrderByDescending(c => row[c]).ThenBy(c => c).Take(topK)
            .Select(c => new Prediction { ClassIndex = c, Label = c < Labels.Count ? Labels[c] : c.ToString(CultureInfo.InvariantCulture), Probability = row[c] })];
    }

    private static float[] Softmax(float[] logits, int classes)
    {
        var result = new float[logits.Length];
        for (int start = 0; start < logits.Length; start += classes)
        {
            Span<float> row = logits.AsSpan(start, classes);
            float max = row.ToArray().Max();
            double sum = 0;
            for (int c = 0; c < classes; c++)
            {
                sum += result[start + c] = MathF.Exp(row[c] - max);
            }

            for (int c = 0; c < classes; c++)
            {
                result[start + c] = (float)(result[start + c] / sum);
            }
        }

        return result;
    }

    private static (string Input, int Classes, int? InputSize, bool FixedBatchOfOne) Describe(InferenceSession session, string modelPath)
    {
        if (session.InputMetadata.Count != 1 || session.OutputMetadata.Count != 1)
        {
            throw new InvalidDataException($"'{modelPath}' has {session.InputMetadata.Count} inputs and {session.OutputMetadata.Count} outputs; a classifier has one of each.");
        }

        (string name, NodeMetadata input) = session.InputMetadata.Single();
        int[] output = session.OutputMetadata.Single().Value.Dimensions;
        if (input.ElementType != typeof(float) || input.Dimensions.Length != 4 || output.Length != 2 || output[1] < 1)
        {
            throw new InvalidDataException($"'{modelPath}' is not an image classifier: input [{string.Join(", ", input.Dimensions)}] {input.ElementType.Name}, output [{string.Join(", ", output)}].");
        }

        // The preprocessing makes RGB images; a fixed batch other than one could not be filled by one image.
        if (input.Dimensions[1] != 3)
        {
            throw new InvalidDataException($"'{modelPath}' takes {input.Dimensions[1]}-channel input; the classifier prepares RGB images (3 channels).");
        }

        if (input.Dimensions[0] > 1)
        {
            throw new InvalidDataException($"'{modelPath}' takes batches of exactly {input.Dimensions[0]} images; export it with a dynamic batch (or a batch of 1) to classify single images.");
        }

        if (input.Dimensions[2] > 0 != input.Dimensions[3] > 0 || (input.Dimensions[2] > 0 && input.Dimensions[2] != input.Dimensions[3]))
        {
            throw new InvalidDataException($"'{modelPath}' takes {input.Dimensions[2]} × {input.Dimensions[3]} images; the preprocessing makes square crops.");
        }

        int? size = input.Dimensions[2] > 0 ? input.Dimensions[2] : null;
        return (name, output[1], size, input.Dimensions[0] == 1);
    }
}
