using EfficientNet.Sharp.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace EfficientNet.Sharp.Training;

/// <summary>Measures a classifier's accuracy and confusion matrix on a labelled dataset.</summary>
public static class Evaluator
{
    /// <summary>Runs the network over every image (eval mode, no gradients) and counts its top-1 answers.</summary>
    /// <param name="network">The classifier; its train/eval mode is restored afterwards.</param>
    /// <param name="dataset">The images; their class count must equal the network's outputs.</param>
    /// <param name="transform">The evaluation transform (its augmentation is ignored).</param>
    /// <param name="batchSize">Images per forward pass.</param>
    /// <param name="progress">Receives (batches done, batches) after each batch.</param>
    /// <param name="cancellationToken">Stops between batches.</param>
    /// <returns>Accuracy, mean loss and confusion matrix.</returns>
    /// <exception cref="ArgumentException">The network's outputs do not match the dataset's classes.</exception>
    /// <exception cref="InvalidDataException">The network's outputs are not finite numbers (damaged weights, or a diverged training run): no accuracy is reported for them.</exception>
    public static EvaluationResult Evaluate(nn.Module<Tensor, Tensor> network, ImageDataset dataset, ImageTransform transform, int batchSize = 64, IProgress<(int Done, int Total)>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(transform);
        int classes = dataset.ClassNames.Count;
        long[][] confusion = Enumerable.Range(0, classes).Select(_ => new long[classes]).ToArray();
        var batches = new ImageBatches(dataset, transform.ForEvaluation(), batchSize, shuffle: false);
        Device device = network.parameters().FirstOrDefault()?.device ?? CPU;
        bool wasTraining = network.training;
        network.eval();
        double lossSum = 0;
        int done = 0;
        try
        {
            using var noGrad = torch.no_grad();
            foreach (ImageBatch batch in batches.Epoch(0, cancellationToken))
            {
                using (batch)
                using (NewDisposeScope())
                {
                    Tensor logits = network.call(batch.Images.to(device));
                    if (logits.shape[^1] != classes)
                    {
                        throw new ArgumentException($"The network has {logits.shape[^1]} outputs but '{dataset.Source}' has {classes} classes.", nameof(dataset));
                    }

                    long nonFinite = logits.isfinite().logical_not().any(1).sum().item<long>();
                    if (nonFinite > 0)
                    {
                        throw new InvalidDataException(
                            $"The network's outputs are not finite (NaN or infinity) for {nonFinite} of the {logits.shape[0]} images of batch {done + 1} from '{dataset.Source}': its weights or BatchNorm statistics are damaged, or the training that made them diverged.",
                            new NonFiniteOutputException($"{nonFinite} of {logits.shape[0]} images in batch {done + 1}"));
                    }

                    lossSum += nn.functional.cross_entropy(logits, batch.Labels.to(device), reduction: nn.Reduction.Sum).to_type(ScalarType.Float64).item<double>();
                    long[] predicted = logits.argmax(1).cpu().data<long>().ToArray();
                    long[] actual = batch.Labels.data<long>().ToArray();
                    for (int i = 0; i < predicted.Length; i++)
                    {
                        confusion[actual[i]][predicted[i]]++;
                    }
                }

                progress?.Report((++done, batches.Count));
            }
        }
        finally
        {
            network.train(wasTraining);
        }

        long count = confusion.Sum(row => row.Sum());
        return new EvaluationResult(dataset.ClassNames, confusion, count == 0 ? 0 : lossSum / count);
    }
}
