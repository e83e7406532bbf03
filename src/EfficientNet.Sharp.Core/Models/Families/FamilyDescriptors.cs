using EfficientNet.Sharp.Specs;

namespace EfficientNet.Sharp.Models.Families;

/// <summary>The descriptor of each family, listed once: a new family adds its line to <see cref="All"/> and nothing else outside its own files.</summary>
internal static class FamilyDescriptors
{
    /// <summary>Every family's descriptor, in the order the registry lists their models.</summary>
    public static IReadOnlyList<FamilyDescriptor> All { get; } =
    [
        MobileNetV1Family.Descriptor,
        MobileNetV2Family.Descriptor,
        MobileNetV3Family.Descriptor,
        EfficientNetFamily.Descriptor,
        EfficientNetV2Family.Descriptor,
        EfficientNetLiteFamily.Descriptor,
    ];

    // After All: static initialisers run in the order they are written.
    private static readonly Dictionary<NetworkFamily, FamilyDescriptor> ByFamily = All.ToDictionary(descriptor => descriptor.Family);

    /// <summary>The family's descriptor.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The family has no descriptor in <see cref="All"/>.</exception>
    public static FamilyDescriptor Of(NetworkFamily family) =>
        ByFamily.TryGetValue(family, out FamilyDescriptor? descriptor)
            ? descriptor
            : throw new ArgumentOutOfRangeException(nameof(family), family, "Unknown network family: it has no descriptor in FamilyDescriptors.All.");

    /// <summary>Builds a candidate, or gives nothing when the builder refuses the settings (a width it cannot make).</summary>
    internal static IEnumerable<NetworkSpec> TryBuild(Func<NetworkSpec> build)
    {
        NetworkSpec? spec;
        try
        {
            spec = build();
        }
        catch (ArgumentException)
        {
            spec = null;
        }

        return spec is null ? [] : [spec];
    }

    /// <summary>The width the last stage implies, then the MobileNets' released widths: any width whose spec matches the file is accepted.</summary>
    internal static IEnumerable<double> Widths(NetworkSpec recognised, NetworkSpec preset) =>
        new[] { recognised.Stages[^1].OutChannels / (double)preset.Stages[^1].OutChannels, 0.25, 0.35, 0.5, 0.75, 1.0, 1.3, 1.4 }.Distinct();
}
