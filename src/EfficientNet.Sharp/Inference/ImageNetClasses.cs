namespace EfficientNet.Sharp.Inference;

/// <summary>
/// The 1000 ImageNet-1k class names in the standard index order (0 = "tench", 999 = "toilet tissue"),
/// as torchvision lists them for its pretrained weights (BSD-3-Clause; see THIRD-PARTY-NOTICES.md).
/// </summary>
public static class ImageNetClasses
{
    private static readonly Lazy<IReadOnlyList<string>> Loaded = new(Load);

    /// <summary>The names, by class index.</summary>
    public static IReadOnlyList<string> Names => Loaded.Value;

    private static IReadOnlyList<string> Load()
    {
        using Stream stream = typeof(ImageNetClasses).Assembly.GetManifestResourceStream("EfficientNet.Sharp.imagenet-classes.txt")
            ?? throw new InvalidOperationException("The ImageNet class names are missing from the assembly.");
        using var reader = new StreamReader(stream);
        string[] names = reader.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return names.Length == 1000
            ? names
            : throw new InvalidOperationException($"The embedded ImageNet class list has {names.Length} names instead of 1000.");
    }
}
