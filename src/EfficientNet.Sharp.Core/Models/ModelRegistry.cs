using EfficientNet.Sharp.Models.Families;

namespace EfficientNet.Sharp.Models;

/// <summary>
/// Every named architecture the library builds, as torchvision names them (<c>efficientnet_b0</c> … <c>b7</c>,
/// <c>efficientnet_v2_s/m/l</c>, <c>mobilenet_v2</c>, <c>mobilenet_v3_large/small</c>) plus <c>mobilenet_v1</c> and
/// <c>efficientnet_lite0</c> … <c>4</c>, each with the catalog weights that fit it. The CLI's <c>--model</c> and
/// <c>effnet models</c> read it.
/// </summary>
public static class ModelRegistry
{
    /// <summary>All entries, in family order: each family's models, as its descriptor lists them.</summary>
    public static IReadOnlyList<RegisteredModel> All { get; } = [.. FamilyDescriptors.All.SelectMany(family => family.Models)];

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

    private static string Normalise(string name) => name.Trim().ToLowerInvariant().Replace('-', '_');
}
