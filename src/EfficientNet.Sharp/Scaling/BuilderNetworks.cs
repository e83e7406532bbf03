using EfficientNet.Sharp.Models;

namespace EfficientNet.Sharp.Scaling;

/// <summary>
/// Builds TorchSharp networks from the torch-free builders and registry entries of EfficientNet.Sharp.Core:
/// <c>new EfficientNetBuilder().WithPhi(3).Build()</c>.
/// </summary>
public static class BuilderNetworks
{
    /// <summary>Builds the network the builder describes, with torchvision's weight initialisation.</summary>
    /// <typeparam name="TBuilder">The builder's own type.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <returns>A new <see cref="ConvNetwork"/> in training mode.</returns>
    /// <exception cref="ArgumentException">The chosen options give no valid network; the message says which.</exception>
    public static ConvNetwork Build<TBuilder>(this NetworkBuilder<TBuilder> builder)
        where TBuilder : NetworkBuilder<TBuilder>
    {
        ArgumentNullException.ThrowIfNull(builder);
        return new ConvNetwork(builder.BuildSpec());
    }

    /// <summary>Builds a registered model (without weights), with torchvision's weight initialisation.</summary>
    /// <param name="model">The registry entry.</param>
    /// <returns>A new <see cref="ConvNetwork"/> in training mode.</returns>
    public static ConvNetwork Build(this RegisteredModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return new ConvNetwork(model.Spec);
    }
}
