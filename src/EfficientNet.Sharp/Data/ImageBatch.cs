using static TorchSharp.torch;

namespace EfficientNet.Sharp.Data;

/// <summary>One batch: images N × C × R × R (float) and labels N (int64). Dispose it to free both.</summary>
public sealed class ImageBatch : IDisposable
{
    internal ImageBatch(Tensor images, Tensor labels)
    {
        Images = images;
        Labels = labels;
    }

    /// <summary>The transformed images, N × C × R × R.</summary>
    public Tensor Images { get; }

    /// <summary>The labels, N, int64.</summary>
    public Tensor Labels { get; }

    /// <summary>How many images, N.</summary>
    public int Count => (int)Labels.shape[0];

    /// <inheritdoc />
    public void Dispose()
    {
        Images.Dispose();
        Labels.Dispose();
    }
}
