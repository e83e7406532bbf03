using EfficientNet.Sharp.Specs;

namespace EfficientNet.Sharp.Models.Families;

/// <summary>
/// What the library knows about a <see cref="NetworkFamily"/> beyond its presets, in one place: its registered models,
/// the defaults an imported network takes from the family's reference network, how the TFLite importer assembles and
/// names it and which of our builders' networks it tries, how TensorFlow fed it float pixels, how it scales, and its
/// published accuracy. The TFLite importer, the model registry and the device fit read this instead of testing the family.
/// </summary>
internal sealed record FamilyDescriptor
{
    /// <summary>The family.</summary>
    public required NetworkFamily Family { get; init; }

    /// <summary>The family's reference network: an imported network takes its classifier (dropout, hidden layer), stochastic depth, layout and whether the head is a feature level from it.</summary>
    public required NetworkSpec Reference { get; init; }

    /// <summary>The family's named architectures with their catalog weights and builders, in the order <see cref="ModelRegistry.All"/> lists them.</summary>
    public IReadOnlyList<RegisteredModel> Models { get; init; } = [];

    /// <summary>How the TFLite importer assembles the family, or <see langword="null"/> when it does not.</summary>
    public TfLiteAssembly? TfLite { get; init; }

    /// <summary>Why a model of the family takes no width multiplier, or <see langword="null"/> when its builder has one.</summary>
    public string? FixedWidthReason { get; init; }

    /// <summary>Whether a spec of the family scales by the compound coefficient φ when its <c>Scaling.Phi</c> is set (EfficientNet-B).</summary>
    public bool ScalesByPhi { get; init; }

    /// <summary>The published ImageNet top-1 of a spec of the family, or <see langword="null"/> where none is published for it.</summary>
    public Func<NetworkSpec, double?> PublishedTop1 { get; init; } = _ => null;
}

/// <summary>How the TFLite importer turns a recognised graph of a family into a spec.</summary>
internal sealed record TfLiteAssembly
{
    /// <summary>The name of an imported network that none of our builders makes exactly.</summary>
    public required string Name { get; init; }

    /// <summary>The block kind of every recognised block.</summary>
    public required BlockKind Block { get; init; }

    /// <summary>Whether consecutive like blocks form one stage (torchvision's MobileNetV3 gives every block a stage of its own).</summary>
    public bool GroupsRepeats { get; init; } = true;

    /// <summary>
    /// The float input's map from pixels in [0, 1] to what the family was trained on, x · Gain + Bias, for a float
    /// graph that does not normalise in-graph: [−1, 1] for TF-Slim MobileNets, (255 · p − 127) / 128 for EfficientNet-Lite.
    /// </summary>
    public (double Gain, double Bias) FloatInput { get; init; } = (2, -1);

    /// <summary>Our builders' networks that could be the imported one (the first with the same layers names it), given the network as recognised.</summary>
    public required Func<NetworkSpec, IEnumerable<NetworkSpec>> Candidates { get; init; }
}
