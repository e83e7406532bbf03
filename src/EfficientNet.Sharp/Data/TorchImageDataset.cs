using static TorchSharp.torch;

namespace EfficientNet.Sharp.Data;

/// <summary>An <see cref="ImageDataset"/> as TorchSharp's dictionary dataset: <c>"data"</c> and <c>"label"</c> per item.</summary>
internal sealed class TorchImageDataset : utils.data.Dataset
{
    private readonly ImageDataset dataset;
    private readonly ImageTransform transform;
    private readonly int seed;
    private int draws;

    public TorchImageDataset(ImageDataset dataset, ImageTransform transform, int seed)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(transform);
        transform.Validate();
        this.dataset = dataset;
        this.transform = transform;
        this.seed = seed;
    }

    public override long Count => dataset.Count;

    public override Dictionary<string, Tensor> GetTensor(long index)
    {
        int item = checked((int)index);

        // TorchSharp asks for each item once per epoch: counting the draws gives each epoch its own views.
        Random? random = transform.Augmentation == Augmentation.None ? null : SeededRandom.For(seed, Interlocked.Increment(ref draws), item);
        return new Dictionary<string, Tensor>
        {
            ["data"] = transform.Apply(dataset.GetImage(item), random),
            ["label"] = tensor((long)dataset.GetLabel(item)),
        };
    }
}
