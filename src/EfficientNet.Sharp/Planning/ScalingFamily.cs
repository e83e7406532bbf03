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
        string name = ScalingModeNames.Name(mode);
        if (fixedResolution is int pixels)
        {
            return new ScalingFamily($"{name} at {pixels} px", phi => scale(phi).WithResolution(pixels).BuildSpec());
        }

        return new ScalingFamily(name, phi => scale(phi).BuildSpec());
    }

    /// <summary>
    /// The family of a registered model scaled in one mode, with φ = 0 the model itself: width × 2^(φ/2),
    /// depth × 2^φ or resolution × 2^(φ/2) (each step about doubles the multiply-accumulates, as in EfficientNet's
    /// modes), or, for EfficientNet-B models, compound scaling from the model's own φ.
    /// </summary>
    /// <param name="mode">Which dimension to scale; <see cref="Supports"/> says which the model has.</param>
    /// <param name="model">The starting architecture, e.g. <c>ModelRegistry.Get("mobilenet_v3_large")</c>.</param>
    /// <param name="shared">Settings every candidate shares (class count; a resolution here is overridden by the mode or <paramref name="fixedResolution"/>).</param>
    /// <param name="fixedResolution">Measure every candidate at this input size (not with <see cref="ScalingMode.ResolutionOnly"/>).</param>
    /// <returns>The family.</returns>
    /// <exception cref="ArgumentException">The model cannot be scaled in that mode, or a fixed resolution was asked for with resolution-only scaling.</exception>
    public static ScalingFamily ForModel(ScalingMode mode, Models.RegisteredModel model, Models.ModelOverrides? shared = null, int? fixedResolution = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (!Supports(mode, model))
        {
            throw new ArgumentException($"{model.Name} cannot be scaled in {ScalingModeNames.Name(mode)} mode: {(mode == ScalingMode.Compound ? "compound scaling has coefficients for EfficientNet-B models only" : $"it has no {(mode == ScalingMode.DepthOnly ? "depth" : "width")} multiplier")}.", nameof(mode));
        }

        if (mode == ScalingMode.ResolutionOnly && fixedResolution is not null)
        {
            throw new ArgumentException("Resolution-only scaling cannot run at a fixed resolution.", nameof(fixedResolution));
        }

        Models.ModelOverrides start = (shared ?? new Models.ModelOverrides()) with { Resolution = fixedResolution ?? shared?.Resolution };
        NetworkSpec own = model.Spec;
        double width = own.Scaling?.WidthMultiplier ?? 1;
        double depth = own.Scaling?.DepthMultiplier ?? 1;
        Func<double, NetworkSpec> specAt = mode switch
        {
            ScalingMode.Compound => CompoundFrom(own, start),
            ScalingMode.WidthOnly => phi => model.BuildSpec(start with { Width = width * Math.Pow(2, phi / 2) }),
            ScalingMode.DepthOnly => phi => model.BuildSpec(start with { Depth = depth * Math.Pow(2, phi) }),
            ScalingMode.ResolutionOnly => phi => model.BuildSpec(start with { Resolution = RoundedResolution(own.Resolution * Math.Pow(2, phi / 2)) }),
            _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, "Unknown scaling mode."),
        };
        string name = $"{model.Name} {ScalingModeNames.Name(mode)}{(fixedResolution is int pixels ? $" at {pixels} px" : "")}";
        return new ScalingFamily(name, specAt);
    }

    /// <summary>Whether <see cref="ForModel"/> can scale the model in this mode.</summary>
    /// <param name="mode">The scaling mode.</param>
    /// <param name="model">The model.</param>
    /// <returns>Compound: EfficientNet-B models; width: any model with a width multiplier; depth: EfficientNet and EfficientNetV2; resolution: every model.</returns>
    public static bool Supports(ScalingMode mode, Models.RegisteredModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return mode switch
        {
            ScalingMode.Compound => Models.Families.FamilyDescriptors.Of(model.Spec.Family).ScalesByPhi && model.Spec.Scaling?.Phi is not null,
            ScalingMode.WidthOnly => model.ScalesWidth,
            ScalingMode.DepthOnly => model.ScalesDepth,
            ScalingMode.ResolutionOnly => true,
            _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, "Unknown scaling mode."),
        };
    }

    /// <summary>EfficientNet's own compound family (<see cref="For(ScalingMode, EfficientNetBuilder?, int?)"/>), shifted so that φ = 0 is the model.</summary>
    private static Func<double, NetworkSpec> CompoundFrom(NetworkSpec own, Models.ModelOverrides shared)
    {
        EfficientNetBuilder template = shared.NumClasses is int classes ? new EfficientNetBuilder().WithNumClasses(classes) : new EfficientNetBuilder();
        ScalingFamily compound = For(ScalingMode.Compound, template, shared.Resolution);
        double modelPhi = own.Scaling!.Phi!.Value;
        return phi => compound.At(modelPhi + phi);
    }

    /// <summary>The same rounding as φ's resolutions (a multiple of 4), never below one multiple.</summary>
    private static int RoundedResolution(double pixels) => Math.Max(ResolutionRounding.Multiple, ResolutionRounding.Nearest(pixels));

    /// <summary>The network at φ.</summary>
    /// <param name="phi">The family's coordinate.</param>
    /// <returns>The spec.</returns>
    /// <exception cref="ArgumentException">φ gives no valid network (for example, an input below 32 pixels).</exception>
    public NetworkSpec At(double phi) => specAt(phi);
}
