namespace EfficientNet.Sharp.Inference;

/// <summary>
/// An image classifier: the TorchSharp one (<c>ImageClassifier</c>, EfficientNet.Sharp) and the ONNX Runtime one
/// (<c>OnnxClassifier</c>, EfficientNet.Sharp.OnnxRuntime) prepare images the same way (<see cref="ImagePreparation"/>)
/// and rank classes with the same code (<see cref="Predictions"/>), so code written against this interface gets the
/// same answers from either.
/// </summary>
// RS0026 (several overloads with optional parameters): Classify's overloads differ by where the image comes from
// (a path, a stream) and end with the same optional topK; none will gain another optional parameter.
#pragma warning disable RS0026
public interface IImageClassifier : IDisposable
{
    /// <summary>The preprocessing applied to every image.</summary>
    EvalTransform Transform { get; }

    /// <summary>Class names by index (empty when unknown: predictions then carry the index as their label).</summary>
    IReadOnlyList<string> Labels { get; }

    /// <summary>Classifies an image file.</summary>
    /// <param name="imagePath">A PNG, JPEG, BMP, GIF or WebP file.</param>
    /// <param name="topK">How many classes to return (≥ 1).</param>
    /// <returns>The most probable classes, most probable first.</returns>
    IReadOnlyList<Prediction> Classify(string imagePath, int topK = 5);

    /// <summary>Classifies an encoded image read from a stream.</summary>
    /// <param name="image">The image's bytes (read to the end).</param>
    /// <param name="topK">How many classes to return (≥ 1).</param>
    /// <returns>The most probable classes, most probable first.</returns>
    IReadOnlyList<Prediction> Classify(Stream image, int topK = 5);

    /// <summary>The largest images accepted, checked from their headers before decoding.</summary>
    ImageLimits Limits { get; }

    /// <summary>
    /// Runs the network on prepared images (<see cref="ImagePreparation"/> with <see cref="Transform"/>) and returns
    /// the class probabilities, one row per image: the step under <c>Classify</c>, for callers that prepare images
    /// themselves (to batch them, or to handle a bad image without losing the others).
    /// </summary>
    /// <param name="input">N × C × H × W floats, row-major.</param>
    /// <param name="shape">N, C, H, W.</param>
    /// <returns>N rows of class probabilities.</returns>
    float[] Run(ReadOnlySpan<float> input, ReadOnlySpan<int> shape);

    /// <summary>Classifies several image files in one run of the network.</summary>
    /// <param name="imagePaths">The images.</param>
    /// <param name="topK">How many classes to return per image (≥ 1).</param>
    /// <returns>For each image, in order, its most probable classes.</returns>
    IReadOnlyList<IReadOnlyList<Prediction>> ClassifyBatch(IReadOnlyList<string> imagePaths, int topK = 5);
}
#pragma warning restore RS0026
