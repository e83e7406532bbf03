using EfficientNet.Sharp.Models;
using EfficientNet.Sharp.Specs;

namespace EfficientNet.Sharp.Profiles;

/// <summary>
/// A whole network timed on the profiled device with the kernels: a registered model at a width, depth and resolution
/// of the suite's design grid. Kernels timed alone cost more than inside a network (a lone convolution converts its
/// input and output between layouts, its input is not left warm by the kernel before it), so the predictor scales
/// kernel sums by what these networks show (<see cref="LatencyPredictor.KernelScale"/>).
/// </summary>
public sealed record CalibrationNetwork
{
    /// <summary>Creates the <see cref="CalibrationNetwork"/> from each of its values.</summary>
    /// <param name="Model">The registered model's name.</param>
    /// <param name="Width">Its width multiplier, or null for the model's own.</param>
    /// <param name="Depth">Its depth multiplier, or null for the model's own.</param>
    /// <param name="Resolution">Its input size in pixels.</param>
    /// <param name="Milliseconds">Its measured batch-1 time (the fastest window's median), the run overhead included.</param>
    public CalibrationNetwork(string Model, double? Width, double? Depth, int Resolution, double Milliseconds)
    {
        this.Model = Model;
        this.Width = Width;
        this.Depth = Depth;
        this.Resolution = Resolution;
        this.Milliseconds = Milliseconds;
    }

    /// <summary>The registered model's name.</summary>
    public string Model { get; init; }

    /// <summary>Its width multiplier, or null for the model's own.</summary>
    public double? Width { get; init; }

    /// <summary>Its depth multiplier, or null for the model's own.</summary>
    public double? Depth { get; init; }

    /// <summary>Its input size in pixels.</summary>
    public int Resolution { get; init; }

    /// <summary>Its measured batch-1 time (the fastest window's median), the run overhead included.</summary>
    public double Milliseconds { get; init; }

    /// <summary>The network's spec, or null when this library does not know the model (a profile from a newer version).</summary>
    /// <returns>The spec.</returns>
    public NetworkSpec? BuildSpec() =>
        ModelRegistry.Find(Model)?.BuildSpec(new ModelOverrides { Width = Width, Depth = Depth, Resolution = Resolution });
}
