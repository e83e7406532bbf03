namespace EfficientNet.Sharp.Inference;

/// <summary>
/// The 1000 ImageNet-1k class names in the standard index order (0 = "tench", 999 = "toilet tissue"),
/// as torchvision lists them for its pretrained weights (BSD-3-Clause; see THIRD-PARTY-NOTICES.md).
/// </summary>
public static class ImageNetClasses
{
    /// <summary>The name TensorFlow's 1001-class ImageNet models give class 0.</summary>
    public const string Background = "background";

    private static readonly Lazy<IReadOnlyList<string>> Loaded = new(Load);
    private static readonly Lazy<IReadOnlyList<string>> WithBackground = new(() => [Background, .. Names]);

    /// <summary>The names, by class index.</summary>
    public static IReadOnlyList<string> Names => Loaded.Value;

    /// <summary>
    /// Names for a classifier with <paramref name="classCount"/> outputs: the 1000 ImageNet names, the same
    /// with <see cref="Background"/> first for TensorFlow's 1001-class models (TF-Slim, TFLite), otherwise none.
    /// </summary>
    /// <param name="classCount">The classifier's number of outputs.</param>
    /// <returns>The names by class index, or an empty list.</returns>
    public static IReadOnlyList<string> ForClassCount(int classCount) => classCount switch
    {
        1000 => Names,
        1001 => WithBackground.Value,
        _ => [],
    };

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
