using EfficientNet.Sharp.Inference;

namespace EfficientNet.Sharp.Cli.Commands;

/// <summary>
/// Classifies a batch of images so that one bad image (missing, damaged, too large) costs only its own result: each is
/// prepared on its own (in parallel), and the ones that could be prepared run through the network together.
/// </summary>
internal sealed class BatchClassification(IImageClassifier classifier, int topK)
{
    public IEnumerable<(ImageInput Input, IReadOnlyList<Prediction>? Predictions, string? Error)> Classify(IReadOnlyList<ImageInput> batch)
    {
        EvalTransform transform = classifier.Transform;
        int length = ImagePreparation.OutputLength(transform);
        var prepared = new float[batch.Count][];
        var errors = new string?[batch.Count];
        Parallel.For(0, batch.Count, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, i =>
        {
            try
            {
                prepared[i] = batch[i].Problem is { } problem ? throw new FileNotFoundException($"'{batch[i].Path}' {problem}.") : ImagePreparation.Prepare(batch[i].Path, transform, classifier.Limits);
            }
            catch (Exception exception) when (exception is IOException or InvalidDataException or UnauthorizedAccessException)
            {
                errors[i] = exception.Message;
            }
        });

        int[] good = [.. Enumerable.Range(0, batch.Count).Where(i => errors[i] is null)];
        float[] probabilities = [];
        if (good.Length > 0)
        {
            float[] input = new float[good.Length * length];
            for (int j = 0; j < good.Length; j++)
            {
                prepared[good[j]].CopyTo(input, j * length);
            }

            probabilities = classifier.Run(input, [good.Length, transform.Channels, transform.CropSize, transform.CropSize]);
        }

        int classes = good.Length > 0 ? probabilities.Length / good.Length : 0;
        int row = 0;
        for (int i = 0; i < batch.Count; i++)
        {
            yield return errors[i] is { } error
                ? (batch[i], null, error)
                : (batch[i], Predictions.Top(probabilities.AsSpan(row++ * classes, classes), classifier.Labels, topK), null);
        }
    }
}
