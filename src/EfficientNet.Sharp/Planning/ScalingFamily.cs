using EfficientNet.Sharp.Scaling;
using EfficientNet.Sharp.Specs;

namespace EfficientNet.Sharp.Planning;

/// <summary>A one-parameter family of networks: the spec at each value of φ. The planner searches along it.</summary>
public sealed class ScalingFamily
{
    private readonly Func<double, NetworkSpec> specAt;

    /// <summary>Creates a family from any function of φ.</summary>
    /// <param name="name">A short name for reports.</param>
    /// <param name="specAt">The spec at φ. Its cost must not decrease as φ grows; it may throw <see cref="ArgumentException"/> where φ gives no valid network.</param>
    public ScalingFamily(string name, Func<double, NetworkSpec> specAt)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(specAt);
        Name = name;
        this.specAt = specAt;
    }

    /// <summary>The family's name.</summary>
    public string Name { get; }

    /// <summary>The family for a scaling mode, starting from a builder's other settings (classes, input channels, …).</summary>
    /// <param name="mode">Which dimensions to scale.</param>
    /// <param name="template">A builder with the options every candidate shares; a plain B0 builder when omitted.</param>
    /// <param name="fixedResolution">Measure every candidate at this input size instead of the one φ gives (not with <see cref="ScalingMode.ResolutionOnly"/>).</param>
    /// <returns>The family.</returns>
    /// <exception cref="ArgumentException">A fixed resolution was asked for with resolution-only scaling.</exception>
    public static ScalingFamily For(ScalingMode mode, EfficientNetBuilder? template = null, int? fixedResolution = null)
    {
        if (mode == ScalingMode.ResolutionOnly && fixedResolution is not null)
        {
            throw new ArgumentException("Resolution-only scaling cannot run at a fixed resolution.", nameof(fixedResolution));
        }

        EfficientNetBuilder start = template ?? new EfficientNetBuilder();
        Func<double, EfficientNetBuilder> scale = mode switch
        {
            ScalingMode.Compound => phi => start.WithPhi(phi),
            ScalingMode.WidthOnly => phi => start.WithPhi(0).WithWidth(Math.Pow(2, phi / 2)),
            ScalingMode.DepthOnly => phi => start.WithPhi(0).WithDepth(Math.Pow(2, phi)),
            ScalingMode.ResolutionOnly => phi => start.WithPhi(0).WithResolutionMultiplier(Math.Pow(2, phi / 2)),
            _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, "Unknown scaling mode."),
        };
        string name = mode.ToString();
        if (fixedResolution is int pixels)
        {
            return new ScalingFamily($"{name} at {pixels} px", phi => scale(phi).WithResolution(pixels).BuildSpec());
        }

        return new ScalingFamily(name, phi => scale(phi).BuildSpec());
    }

    /// <summary>The network at φ.</summary>
    /// <param name="phi">The family's coordinate.</param>
    /// <returns>The spec.</returns>
    /// <exception cref="ArgumentException">φ gives no valid network (for example, an input below 32 pixels).</exception>
    public NetworkSpec At(double phi) => specAt(phi);
}
