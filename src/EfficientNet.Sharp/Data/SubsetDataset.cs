namespace EfficientNet.Sharp.Data;

/// <summary>A view of some images of another dataset, in a chosen order.</summary>
internal sealed class SubsetDataset : ImageDataset
{
    private readonly ImageDataset parent;
    private readonly int[] indices;

    public SubsetDataset(ImageDataset parent, IEnumerable<int> indices)
    {
        ArgumentNullException.ThrowIfNull(indices);
        this.parent = parent;
        this.indices = indices.ToArray();
        foreach (int index in this.indices)
        {
            if ((uint)index >= (uint)parent.Count)
            {
                throw new ArgumentOutOfRangeException(nameof(indices), index, $"'{parent.Source}' has {parent.Count} images.");
            }
        }
    }

    public override string Source => parent.Source;

    public override int Count => indices.Length;

    public override IReadOnlyList<string> ClassNames => parent.ClassNames;

    public override int Channels => parent.Channels;

    public override int GetLabel(int index)
    {
        CheckIndex(index);
        return parent.GetLabel(indices[index]);
    }

    public override RawImage GetImage(int index)
    {
        CheckIndex(index);
        return parent.GetImage(indices[index]);
    }
}
