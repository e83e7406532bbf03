namespace EfficientNet.Sharp.Data;

/// <summary>
/// A labelled image collection for training and evaluation: images are read (decoded) on demand by index,
/// labels are known up front. <see cref="IdxDataset"/> (MNIST, Fashion-MNIST) and <see cref="ImageFolderDataset"/>
/// (one folder per class) implement it; <see cref="ImageBatches"/> turns it into batches of tensors, and
/// <see cref="ToTorchDataset"/> into TorchSharp's <c>Dataset</c> for its <c>DataLoader</c>.
/// </summary>
/// <remarks>Reading images by index may run on several threads at once.</remarks>
public abstract class ImageDataset
{
    /// <summary>Where the data came from, for messages (a file or folder).</summary>
    public abstract string Source { get; }

    /// <summary>How many images.</summary>
    public abstract int Count { get; }

    /// <summary>The class names, in label order (label <c>i</c> is <c>ClassNames[i]</c>).</summary>
    public abstract IReadOnlyList<string> ClassNames { get; }

    /// <summary>Channels of the stored images: 1 (grey) or 3 (RGB).</summary>
    public abstract int Channels { get; }

    /// <summary>The label of image <paramref name="index"/>, in [0, <see cref="ClassNames"/>.Count).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is outside [0, <see cref="Count"/>).</exception>
    public abstract int GetLabel(int index);

    /// <summary>Reads (decodes) image <paramref name="index"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is outside [0, <see cref="Count"/>).</exception>
    /// <exception cref="InvalidDataException">The image cannot be decoded; the message names its file.</exception>
    public abstract RawImage GetImage(int index);

    /// <summary>The images at <paramref name="indices"/> of this dataset, in that order (a view; nothing is copied).</summary>
    /// <exception cref="ArgumentOutOfRangeException">An index is outside [0, <see cref="Count"/>).</exception>
    public ImageDataset Subset(IEnumerable<int> indices) => new SubsetDataset(this, indices);

    /// <summary>
    /// <paramref name="count"/> images drawn without replacement, in an order fixed by <paramref name="seed"/>
    /// (the same seed gives the same images on every machine).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is outside [1, <see cref="Count"/>].</exception>
    public ImageDataset Sample(int count, int seed = 0)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, Count);
        int[] order = Enumerable.Range(0, Count).ToArray();
        new Random(seed).Shuffle(order);
        return Subset(order.Take(count));
    }

    /// <summary>How many images each class has, in label order.</summary>
    public int[] CountPerClass()
    {
        int[] counts = new int[ClassNames.Count];
        for (int i = 0; i < Count; i++)
        {
            counts[GetLabel(i)]++;
        }

        return counts;
    }

    /// <summary>
    /// This dataset as TorchSharp's <c>torch.utils.data.Dataset</c>: item <c>i</c> is a dictionary with
    /// <c>"data"</c> (C × R × R float, transformed as <paramref name="transform"/> says) and <c>"label"</c> (int64 scalar).
    /// Random augmentation draws from a generator seeded by <paramref name="seed"/> and the item's index.
    /// </summary>
    public TorchSharp.torch.utils.data.Dataset ToTorchDataset(ImageTransform transform, int seed = 0) => new TorchImageDataset(this, transform, seed);

    /// <summary>Throws unless <paramref name="index"/> is a valid image index; for implementations.</summary>
    protected void CheckIndex(int index)
    {
        if ((uint)index >= (uint)Count)
        {
            throw new ArgumentOutOfRangeException(nameof(index), index, $"'{Source}' has {Count} images.");
        }
    }
}
