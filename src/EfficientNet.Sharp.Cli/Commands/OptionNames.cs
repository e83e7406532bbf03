using EfficientNet.Sharp.Data;
using EfficientNet.Sharp.Specs;
using EfficientNet.Sharp.Training;

namespace EfficientNet.Sharp.Cli.Commands;

/// <summary>
/// The names users type and read for the library's enums, one table each, so an option's value and what the tool prints
/// back are the same word (<c>--optimizer adamw</c> prints "adamw", never the C# name <c>AdamW</c>).
/// </summary>
internal static class OptionNames
{
    private static readonly (string Name, OptimizerKind Value)[] Optimizers = [("sgd", OptimizerKind.Sgd), ("adamw", OptimizerKind.AdamW)];

    private static readonly (string Name, Augmentation Value)[] Augmentations =
        [("none", Augmentation.None), ("pad-crop", Augmentation.PadAndCrop), ("random-resized-crop", Augmentation.RandomResizedCrop)];

    private static readonly (string Name, PaddingMode Value)[] Paddings = [("symmetric", PaddingMode.Symmetric), ("tensorflow-same", PaddingMode.TensorFlowSame)];

    /// <summary>The <c>--optimizer</c> names.</summary>
    public static string OptimizerList => List(Optimizers);

    /// <summary>The <c>--augment</c> names.</summary>
    public static string AugmentationList => List(Augmentations);

    public static string Name(OptimizerKind value) => Name(Optimizers, value);

    public static string Name(Augmentation value) => Name(Augmentations, value);

    public static string Name(PaddingMode value) => Name(Paddings, value);

    public static OptimizerKind? ParseOptimizer(string name) => Parse(Optimizers, name);

    public static Augmentation? ParseAugmentation(string name) => Parse(Augmentations, name);

    private static string Name<T>((string Name, T Value)[] table, T value)
        where T : struct, Enum =>
        table.Where(e => EqualityComparer<T>.Default.Equals(e.Value, value)).Select(e => e.Name).FirstOrDefault()
        ?? throw new ArgumentOutOfRangeException(nameof(value), value, $"No user-facing name for this {typeof(T).Name}.");

    private static T? Parse<T>((string Name, T Value)[] table, string name)
        where T : struct, Enum =>
        table.Where(e => string.Equals(e.Name, name, StringComparison.OrdinalIgnoreCase)).Select(e => (T?)e.Value).FirstOrDefault();

    private static string List<T>((string Name, T Value)[] table) =>
        table.Length == 1 ? table[0].Name : $"{string.Join(", ", table[..^1].Select(e => e.Name))} or {table[^1].Name}";
}
