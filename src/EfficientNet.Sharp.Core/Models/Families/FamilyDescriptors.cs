using EfficientNet.Sharp.Specs;

namespace EfficientNet.Sharp.Models.Families;

/// <summary>The descriptor of each family: the one entry a new family adds outside its own files.</summary>
internal static class FamilyDescriptors
{
    /// <summary>The family's descriptor.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The family is unknown.</exception>
    public static FamilyDescriptor Of(NetworkFamily family) => family switch
    {
        NetworkFamily.MobileNetV1 => MobileNetV1Family.Descriptor,
        NetworkFamily.MobileNetV2 => MobileNetV2Family.Descriptor,
        NetworkFamily.EfficientNet => EfficientNetFamily.Descriptor,
        NetworkFamily.EfficientNetLite => EfficientNetLiteFamily.Descriptor,
        NetworkFamily.MobileNetV3 => MobileNetV3Family.Descriptor,
        NetworkFamily.EfficientNetV2 => EfficientNetV2Family.Descriptor,
        _ => throw new ArgumentOutOfRangeException(nameof(family), family, "Unknown network family."),
    };

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
