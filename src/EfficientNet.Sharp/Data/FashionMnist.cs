namespace EfficientNet.Sharp.Data;

/// <summary>
/// Zalando's Fashion-MNIST (MIT licence): 60,000 training and 10,000 test images, 28 × 28 grey, 10 classes
/// of clothing. Debian's package <c>dataset-fashion-mnist</c> installs it under <see cref="DefaultFolder"/>.
/// </summary>
public static class FashionMnist
{
    /// <summary>Where Debian's <c>dataset-fashion-mnist</c> package puts the files.</summary>
    public const string DefaultFolder = "/usr/share/datasets/fashion-mnist";

    /// <summary>The ten class names in label order, as the dataset's authors name them.</summary>
    public static IReadOnlyList<string> ClassNames { get; } =
        ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"];

    /// <summary>Whether <paramref name="folder"/> holds the four files (gzipped or not).</summary>
    public static bool IsAvailable(string? folder = null) =>
        FindFile(folder ?? DefaultFolder, "train-images-idx3-ubyte") is not null && FindFile(folder ?? DefaultFolder, "train-labels-idx1-ubyte") is not null
        && FindFile(folder ?? DefaultFolder, "t10k-images-idx3-ubyte") is not null && FindFile(folder ?? DefaultFolder, "t10k-labels-idx1-ubyte") is not null;

    /// <summary>Reads the training split (60,000 images).</summary>
    /// <param name="folder">The folder with the files; default <see cref="DefaultFolder"/>.</param>
    /// <exception cref="FileNotFoundException">The files are not there (the message says how to install them).</exception>
    /// <exception cref="InvalidDataException">A file is malformed; the message names it and the offset.</exception>
    public static IdxDataset LoadTrain(string? folder = null) => Load(folder, "train");

    /// <summary>Reads the test split (10,000 images).</summary>
    /// <param name="folder">The folder with the files; default <see cref="DefaultFolder"/>.</param>
    /// <exception cref="FileNotFoundException">The files are not there (the message says how to install them).</exception>
    /// <exception cref="InvalidDataException">A file is malformed; the message names it and the offset.</exception>
    public static IdxDataset LoadTest(string? folder = null) => Load(folder, "t10k");

    private static IdxDataset Load(string? folder, string split)
    {
        folder ??= DefaultFolder;
        string images = FindFile(folder, $"{split}-images-idx3-ubyte") ?? throw Missing(folder, $"{split}-images-idx3-ubyte");
        string labels = FindFile(folder, $"{split}-labels-idx1-ubyte") ?? throw Missing(folder, $"{split}-labels-idx1-ubyte");
        return IdxDataset.Load(images, labels, ClassNames);
    }

    private static string? FindFile(string folder, string name) =>
        new[] { name + ".gz", name }.Select(file => Path.Combine(folder, file)).FirstOrDefault(File.Exists);

    private static FileNotFoundException Missing(string folder, string name) =>
        new($"Fashion-MNIST's '{name}[.gz]' is not in '{folder}'. On Debian: apt-get install dataset-fashion-mnist (it installs to {DefaultFolder}).", Path.Combine(folder, name + ".gz"));
}
