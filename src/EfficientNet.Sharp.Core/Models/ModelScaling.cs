using EfficientNet.Sharp.Scaling;
using EfficientNet.Sharp.Specs;

namespace EfficientNet.Sharp.Models;

/// <summary>
/// How a registered model is rebuilt with <see cref="ModelOverrides"/>: its builder, which always has a width multiplier
/// (a model without a builder has none), and whether it has a depth multiplier.
/// </summary>
/// <param name="Depth">Whether the builder has a depth multiplier.</param>
/// <param name="Build">Builds the spec; only called with overrides the flags allow.</param>
internal sealed record ModelScaling(bool Depth, Func<ModelOverrides, NetworkSpec> Build)
{
    /// <summary>
    /// A builder's chain, written once for every family: start, then width, depth, resolution and classes where given.
    /// Every builder has a width multiplier and a resolution (<see cref="NetworkBuilder{TBuilder}"/>); only some have a depth multiplier.
    /// </summary>
    /// <param name="start">A new builder at the model's own settings.</param>
    /// <param name="depth">The builder's depth multiplier, or <see langword="null"/> when it has none.</param>
    public static ModelScaling Using<TBuilder>(Func<TBuilder> start, Func<TBuilder, double, TBuilder>? depth = null)
        where TBuilder : NetworkBuilder<TBuilder> =>
        new(depth is not null, overrides =>
        {
            TBuilder builder = start();
            builder = overrides.Width is double w ? builder.WithWidth(w) : builder;
            builder = overrides.Depth is double d ? depth!(builder, d) : builder;
            builder = overrides.Resolution is int pixels ? builder.WithResolution(pixels) : builder;
            builder = overrides.NumClasses is int classes ? builder.WithNumClasses(classes) : builder;
            return builder.BuildSpec();
        });
}
