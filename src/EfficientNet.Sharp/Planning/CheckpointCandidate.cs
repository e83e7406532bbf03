using EfficientNet.Sharp.Specs;
using EfficientNet.Sharp.Weights;

namespace EfficientNet.Sharp.Planning;

/// <summary>
/// A trained network <see cref="DeviceFit.FitPretrained"/> may recommend: a catalog checkpoint
/// (<see cref="From"/>), or any other with a published accuracy, such as an imported TFLite file.
/// </summary>
public sealed record CheckpointCandidate
{
    /// <summary>Creates the <see cref="CheckpointCandidate"/> from each of its values.</summary>
    /// <param name="Name">How the report names it.</param>
    /// <param name="Spec">Its architecture, at the input size it runs at.</param>
    /// <param name="Top1Accuracy">Its published ImageNet top-1, in percent.</param>
    public CheckpointCandidate(string Name, NetworkSpec Spec, double Top1Accuracy)
    {
        this.Name = Name;
        this.Spec = Spec;
        this.Top1Accuracy = Top1Accuracy;
    }

    /// <summary>How the report names it.</summary>
    public string Name { get; init; }

    /// <summary>Its architecture, at the input size it runs at.</summary>
    public NetworkSpec Spec { get; init; }

    /// <summary>Its published ImageNet top-1, in percent.</summary>
    public double Top1Accuracy { get; init; }

    /// <summary>The catalog entry, when it is one.</summary>
    public PretrainedWeights? Weights { get; init; }

    /// <summary>torchvision's default checkpoint of every registered model (<see cref="Models.ModelRegistry"/>): what <see cref="DeviceFit.FitPretrained"/> considers by default.</summary>
    public static IReadOnlyList<CheckpointCandidate> RegistryDefaults { get; } =
        [.. Models.ModelRegistry.All.Select(model => model.DefaultWeights).OfType<PretrainedWeights>().Select(From)];

    /// <summary>A catalog checkpoint at its transform's crop size.</summary>
    /// <param name="weights">The checkpoint; it must have a published top-1.</param>
    /// <returns>The candidate.</returns>
    /// <exception cref="ArgumentException">No published top-1.</exception>
    public static CheckpointCandidate From(PretrainedWeights weights)
    {
        ArgumentNullException.ThrowIfNull(weights);
        double top1 = weights.Top1Accuracy ?? throw new ArgumentException($"{weights.Name} has no published top-1 accuracy to rank it by.", nameof(weights));
        return new CheckpointCandidate(weights.Name, weights.Architecture with { Resolution = weights.Transform.CropSize }, top1) { Weights = weights };
    }
}
