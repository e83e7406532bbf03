namespace EfficientNet.Sharp.Data;

/// <summary>
/// Grey images and labels in the IDX format of MNIST and Fashion-MNIST (an image file and a label file,
/// gzipped or not), held in memory.
/// </summary>
public sealed class IdxDataset : ImageDataset
{
    private readonly byte[] pixels;
    private readonly byte[] labels;
    private readonly int rows;
    private readonly int columns;

    private IdxDataset(string source, byte[] pixels, byte[] labels, int rows, int columns, IReadOnlyList<string> classNames)
    {
        Source = source;
        this.pixels = pixels;
        this.labels = labels;
        this.rows = rows;
        this.columns = columns;
        ClassNames = classNames;
    }

    /// <inheritdoc />
    public override string Source { get; }

    /// <inheritdoc />
    public override int Count => labels.Length;

    /// <inheritdoc />
    public override IReadOnlyList<string> ClassNames { get; }

    /// <inheritdoc />
    public override int Channels => 1;

    /// <summary>Reads an image file and its label file.</summary>
    /// <param name="imagesPath">The images: IDX with 3 dimensions (count, rows, columns) of unsigned bytes.</param>
    /// <param name="labelsPath">The labels: IDX with 1 dimension (count) of unsigned bytes.</param>
    /// <param name="classNames">The class names in label order; default "0" to "9".</param>
    /// <exception cref="FileNotFoundException">A file does not exist.</exception>
    /// <exception cref="InvalidDataException">
    /// A file is malformed (wrong magic number, counts that do not match its length, truncated, a label
    /// outside the classes) or the two files disagree on the count; the message names the file and the offset.
    /// </exception>
    public static IdxDataset Load(string imagesPath, string labelsPath, IReadOnlyList<string>? classNames = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(imagesPath);
        ArgumentException.ThrowIfNullOrWhiteSpace(labelsPath);
        IReadOnlyList<string> names = classNames ?? Enumerable.Range(0, 10).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        if (names.Count is < 1 or > 256)
        {
            throw new ArgumentOutOfRangeException(nameof(classNames), names.Count, "IDX labels are bytes: 1 to 256 classes.");
        }

        (int count, int rows, int columns, byte[] pixels) = IdxFile.ReadImages(imagesPath);
        byte[] labels = IdxFile.ReadLabels(labelsPath, names.Count);
        if (labels.Length != count)
        {
            throw new InvalidDataException($"'{imagesPath}' holds {count:N0} images but '{labelsPath}' holds {labels.Length:N0} labels.");
        }

        return new IdxDataset(imagesPath, pixels, labels, rows, columns, names);
    }

    /// <inheritdoc />
    public override int GetLabel(int index)
    {
        CheckIndex(index);
        return labels[index];
    }

    /// <inheritdoc />
    public override RawImage GetImage(int index)
    {
        CheckIndex(index);
        int size = rows * columns;
        return new RawImage(columns, rows, 1, pixels.AsSpan(index * size, size).ToArray());
    }
}
