using EfficientNet.Sharp.Inference;

namespace EfficientNet.Sharp.Cli.Commands;

/// <summary>A classifier that also disposes what its network came with (a TFLite import, a loaded network).</summary>
internal sealed class OwningClassifier(IImageClassifier inner, IDisposable owner) : IImageClassifier
{
    public EvalTransform Transform => inner.Transform;

    public IReadOnlyList<string> Labels => inner.Labels;

    public ImageLimits Limits => inner.Limits;

    public IReadOnlyList<Prediction> Classify(string imagePath, int topK = 5) => inner.Classify(imagePath, topK);

    public IReadOnlyList<Prediction> Classify(Stream image, int topK = 5) => inner.Classify(image, topK);

    public IReadOnlyList<IReadOnlyList<Prediction>> ClassifyBatch(IReadOnlyList<string> imagePaths, int topK = 5) => inner.ClassifyBatch(imagePaths, topK);

    public float[] Run(ReadOnlySpan<float> input, ReadOnlySpan<int> shape) => inner.Run(input, shape);

    public void Dispose()
    {
        inner.Dispose();
        owner.Dispose();
    }
}
