using EfficientNet.Sharp.Scaling;
using EfficientNet.Sharp.Specs;

namespace EfficientNet.Sharp.Models;

/// <summary>How a registered model is rebuilt with <see cref="ModelOverrides"/>: its builder, and which multipliers that builder has.</summary>
/// <param name="Width">Whether the builder has a width multiplier.</param>
/// <param name="Depth">Whether the builder has a depth multiplier.</param>
/// <param name="Build">Builds the spec; only called with overrides the flags allow.</param>
internal sealed record ModelScaling(bool Width, bool Depth, Func<ModelOverrides, NetworkSpec> Build)
{
    /// <summary>A builder's chain, written once for every family: start, then width, depth, resolution and classes where given.</summary>
    public static ModelScaling Using<TBuilder>(Func<TBuilder> start, Func<TBuilder, double, TBuilder>? width, Func<TBuilder, double, TBuilder>? depth, Func<TBuilder, int, TBuilder> resolution)
        where TBuilder : NetworkBuilder<TBuilder> =>
        new(width is not null, depth is not null, overrides =>
        {
            TBuilder builder = start();
            builder = overrides.Width is double w ? width!(builder, w) : builder;
            builder = overrides.Depth is double d ? depth!(builder, d) : builder;
            builder = overrides.Resolution is int pixels ? resolution(builder, pixels) : builder;
            builder = overrides.NumClasses is int classes ? builder.WithNumClasses(classes) : builder;
            return builder.BuildSpec();
        });
}
