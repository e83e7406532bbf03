using TorchSharp;

namespace EfficientNet.Sharp.Data;

/// <summary>
/// Cuts a dataset into batches of transformed images, epoch by epoch. The order of an epoch (shuffled or
/// not) and every random view are fixed by (seed, epoch, position), so epoch <c>e</c> is the same whether or
/// not the epochs before it ran in this process: a resumed training run sees the batches an uninterrupted one would.
/// Images of a batch are decoded and transformed on several threads.
/// </summary>
public sealed class ImageBatches
{
    private readonly ImageDataset dataset;
    private readonly ImageTransform transform;

    /// <summary>Prepares batching; nothing is read yet.</summary>
    /// <param name="dataset">The images.</param>
    /// <param name="transform">How each image becomes a tensor (its augmentation draws from the seeded generators).</param>
    /// <param name="batchSize">Images per batch, at least 1.</param>
    /// <param name="shuffle">Whether each epoch visits the images in a new random order.</param>
    /// <param name="dropLast">Whether a last, smaller batch is left out (keeps BatchNorm away from tiny batches in training).</param>
    /// <param name="seed">Fixes the order and the random views.</param>
    /// <exception cref="ArgumentException">An argument is out of range, or the transform is invalid.</exception>
    public ImageBatches(ImageDataset dataset, ImageTransform transform, int batchSize, bool shuffle, bool dropLast = false, int seed = 0)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(transform);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        transform.Validate();
        this.dataset = dataset;
        this.transform = transform;
        BatchSize = batchSize;
        Shuffle = shuffle;
        DropLast = dropLast;
        Seed = seed;
    }

    /// <summary>Images per batch.</summary>
    public int BatchSize { get; }

    /// <summary>Whether each epoch has its own random order.</summary>
    public bool Shuffle { get; }

    /// <summary>Whether a last, smaller batch is left out.</summary>
    public bool DropLast { get; }

    /// <summary>The seed of the order and the views.</summary>
    public int Seed { get; }

    /// <summary>Batches per epoch.</summary>
    public int Count => DropLast ? dataset.Count / BatchSize : (dataset.Count + BatchSize - 1) / BatchSize;

    /// <summary>The batches of epoch <paramref name="epoch"/>, made one at a time as they are enumerated; dispose each.</summary>
    /// <param name="epoch">The epoch, from 0; it chooses the order and the views.</param>
    /// <param name="cancellationToken">Stops between batches.</param>
    public IEnumerable<ImageBatch> Epoch(int epoch, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(epoch);
        LibTorch.EnsureAvailable();
        return Enumerate(epoch, cancellationToken);
    }

    private IEnumerable<ImageBatch> Enumerate(int epoch, CancellationToken cancellationToken)
    {
        int[] order = Enumerable.Range(0, dataset.Count).ToArray();
        if (Shuffle)
        {
            SeededRandom.For(Seed, epoch, -1).Shuffle(order);
        }

        for (int batch = 0; batch < Count; batch++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            int start = batch * BatchSize;
            int[] indices = order.AsSpan(start, Math.Min(BatchSize, order.Length - start)).ToArray();
            yield return Make(indices, epoch, start);
        }
    }

    private ImageBatch Make(int[] indices, int epoch, int firstPosition)
    {
        int r = transform.Resolution;
        int size = transform.Channels * r * r;
        float[] images = new float[indices.Length * size];
        long[] labels = new long[indices.Length];
        try
        {
            Parallel.For(0, indices.Length, i =>
            {
                RawImage image = dataset.GetImage(indices[i]);
                Random? random = transform.Augmentation == Augmentation.None ? null : SeededRandom.For(Seed, epoch, firstPosition + i);
                transform.Render(image, random, images.AsSpan(i * size, size));
                labels[i] = dataset.GetLabel(indices[i]);
            });
        }
        catch (AggregateException aggregate) when (aggregate.InnerExceptions.Count > 0)
        {
            // The caller sees the first image's own error (an undecodable file), not a wrapper.
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(aggregate.InnerExceptions[0]).Throw();
            throw;
        }

        return new ImageBatch(
            torch.tensor(images, [indices.Length, transform.Channels, r, r]),
            torch.tensor(labels, [indices.Length]));
    }
}
