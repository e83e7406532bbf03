using EfficientNet.Sharp.Scaling;
using EfficientNet.Sharp.Specs;
using EfficientNet.Sharp.Weights;

namespace EfficientNet.Sharp.Models;

/// <summary>
/// Every named architecture the library builds, as torchvision names them (<c>efficientnet_b0</c> … <c>b7</c>,
/// <c>efficientnet_v2_s/m/l</c>, <c>mobilenet_v2</c>, <c>mobilenet_v3_large/small</c>) plus <c>mobilenet_v1</c> and
/// <c>efficientnet_lite0</c> … <c>4</c>, each with the catalog weights that fit it. The CLI's <c>--model</c> and
/// <c>effnet models</c> read it.
/// </summary>
public static class ModelRegistry
{
    /// <summary>All entries, in family order.</summary>
    public static IReadOnlyList<RegisteredModel> All { get; } =
    [
        new() { Name = "mobilenet_v1", Spec = NetworkPresets.MobileNetV1, Scaling = MobileNetV1() },
        new() { Name = "mobilenet_v2", Spec = NetworkPresets.MobileNetV2, Weights = [MobileNetV2Weights.ImageNet1K_V2, MobileNetV2Weights.ImageNet1K_V1], Scaling = MobileNetV2() },
        new() { Name = "mobilenet_v3_large", Spec = NetworkPresets.MobileNetV3Large, Weights = [MobileNetV3Weights.Large_ImageNet1K_V2, MobileNetV3Weights.Large_ImageNet1K_V1], Scaling = MobileNetV3(() => new MobileNetV3Builder().Large()) },
        new() { Name = "mobilenet_v3_small", Spec = NetworkPresets.MobileNetV3Small, Weights = [MobileNetV3Weights.Small_ImageNet1K_V1], Scaling = MobileNetV3(() => new MobileNetV3Builder().Small()) },
        .. Enumerable.Range(0, NetworkPresets.EfficientNetVariants).Select(variant => new RegisteredModel
        {
            Name = $"efficientnet_b{variant}",
            Aliases = [$"b{variant}"],
            Spec = new EfficientNetBuilder().WithPhi(variant).BuildSpec(),
            Weights = [.. EfficientNetWeights.All.Where(w => w.Architecture.Name == $"efficientnet_b{variant}").OrderBy(w => w == EfficientNetWeights.Default(variant) ? 0 : 1), LukemelasWeights.Get(variant)],
            Scaling = EfficientNet(variant),
        }),
        new() { Name = "efficientnet_v2_s", Spec = NetworkPresets.EfficientNetV2S, Weights = [EfficientNetV2Weights.S_ImageNet1K_V1], Scaling = EfficientNetV2(() => new EfficientNetV2Builder().Small()) },
        new() { Name = "efficientnet_v2_m", Spec = NetworkPresets.EfficientNetV2M, Weights = [EfficientNetV2Weights.M_ImageNet1K_V1], Scaling = EfficientNetV2(() => new EfficientNetV2Builder().Medium()) },
        new() { Name = "efficientnet_v2_l", Spec = NetworkPresets.EfficientNetV2L, Weights = [EfficientNetV2Weights.L_ImageNet1K_V1], Scaling = EfficientNetV2(() => new EfficientNetV2Builder().Large()) },
        .. Enumerable.Range(0, NetworkPresets.EfficientNetLiteVariants).Select(variant => new RegisteredModel
        {
            Name = $"efficientnet_lite{variant}",
            Aliases = [$"lite{variant}"],
            Spec = NetworkPresets.EfficientNetLite(variant),
        }),
    ];

    /// <summary>Finds an entry by name or alias, ignoring case and treating hyphens as underscores.</summary>
    /// <param name="name">For example <c>efficientnet_b3</c>, <c>b3</c>, <c>mobilenet-v3-small</c>.</param>
    /// <returns>The entry, or <see langword="null"/> when no entry has that name.</returns>
    public static RegisteredModel? Find(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        string key = Normalise(name);
        return All.FirstOrDefault(entry => Normalise(entry.Name) == key || entry.Aliases.Any(alias => Normalise(alias) == key));
    }

    /// <summary>Like <see cref="Find"/>, but an unknown name is an exception that lists the known ones.</summary>
    /// <param name="name">The model name.</param>
    /// <returns>The entry.</returns>
    /// <exception cref="KeyNotFoundException">No entry has that name.</exception>
    public static RegisteredModel Get(string name) =>
        Find(name) ?? throw new KeyNotFoundException($"Unknown model '{name}'. Known: {string.Join(", ", All.Select(entry => entry.Name))}.");

    // Each family's builder and the multipliers it has; EfficientNet-Lite has none (its variants are fixed).
    private static ModelScaling MobileNetV1() =>
        ModelScaling.Using(() => new MobileNetV1Builder(), (b, w) => b.WithWidth(w), null, (b, r) => b.WithResolution(r));

    private static ModelScaling MobileNetV2() =>
        ModelScaling.Using(() => new MobileNetV2Builder(), (b, w) => b.WithWidth(w), null, (b, r) => b.WithResolution(r));

    private static ModelScaling MobileNetV3(Func<MobileNetV3Builder> variant) =>
        ModelScaling.Using(variant, (b, w) => b.WithWidth(w), null, (b, r) => b.WithResolution(r));

    private static ModelScaling EfficientNet(int phi) =>
        ModelScaling.Using(() => new EfficientNetBuilder().WithPhi(phi), (b, w) => b.WithWidth(w), (b, d) => b.WithDepth(d), (b, r) => b.WithResolution(r));

    private static ModelScaling EfficientNetV2(Func<EfficientNetV2Builder> variant) =>
        ModelScaling.Using(variant, (b, w) => b.WithWidth(w), (b, d) => b.WithDepth(d), (b, r) => b.WithResolution(r));

    private static string Normalise(string name) => name.Trim().ToLowerInvariant().Replace('-', '_');
}
