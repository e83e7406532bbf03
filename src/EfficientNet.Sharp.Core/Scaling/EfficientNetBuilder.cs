using System.Globalization;
using EfficientNet.Sharp.Specs;

namespace EfficientNet.Sharp.Scaling;

/// <summary>
/// Builds EfficientNets of any scale from the B0 baseline (<see cref="NetworkPresets.EfficientNetB0"/>).
/// Classifier dropout and BatchNorm settings follow the scale unless set with
/// <see cref="NetworkBuilder{TBuilder}.WithDropout"/> and <see cref="NetworkBuilder{TBuilder}.WithBatchNorm"/>.
/// </summary>
/// <remarks>
/// <para>How φ maps to width w, depth d and resolution r:</para>
/// <list type="bullet">
/// <item>Integer φ in 0…7: exactly the published B0–B7 ladder (<see cref="EfficientNetLadder"/>), which
/// is what torchvision's <c>efficientnet_b0…b7</c> build.</item>
/// <item>Fractional φ in (0, 7): w, d and r interpolate geometrically between the neighbouring rungs,
/// so the family is continuous and meets every preset at the integers; dropout interpolates linearly;
/// BatchNorm settings are those of the lower rung.</item>
/// <item>φ &lt; 0 (smaller than B0): the compound formula from B0 with the paper's α = 1.2, β = 1.1,
/// γ = 1.15 (d = α^φ, w = β^φ, r = 224·γ^φ). φ &gt; 7: the same formula continued from B7
/// (d = 3.1·α^(φ−7), w = 2.0·β^(φ−7), r = 600·γ^(φ−7)). Neither end jumps.</item>
/// <item><see cref="WithCoefficients(double, double, double)"/>: pure compound scaling from B0,
/// d = α^φ, w = β^φ, r = 224·γ^φ, for any φ.</item>
/// </list>
/// <para>Resolutions derived from φ are rounded to a multiple of 4 pixels, as every ladder value is.
/// Channels are rounded by <see cref="ChannelRounding.RoundFilters"/> and repeats by
/// <see cref="ChannelRounding.RoundRepeats"/>, from the B0 numbers.</para>
/// <para>The head convolution has round_filters(1280·w) channels, the rule of the original TensorFlow
/// implementation that timm, Keras and lukemelas keep. torchvision instead uses 4 × the last stage's
/// channels; the two agree on every published variant B0–B7 and differ only off the ladder
/// (w = 1.01: 1296 here, 1280 in torchvision), where the head should grow with width like every other layer.</para>
/// </remarks>
public sealed class EfficientNetBuilder : NetworkBuilder<EfficientNetBuilder>
{
    // The input is halved five times (stem and four strided stages): 32 px leaves a 1-pixel feature map.
    private static readonly int MinimumResolution = NetworkPresets.EfficientNetB0.TotalStride;

    private double phi;
    private CompoundCoefficients? coefficients;
    private double? width;
    private double? depth;
    private int? resolution;
    private double? resolutionMultiplier;
    private double stochasticDepthRate = 0.2;
    private bool fixedStemAndHead;
    private bool fixedFirstAndLastRepeats;

    /// <summary>Sets the compound coefficient φ (default 0 = B0). See the remarks for the mapping.</summary>
    /// <param name="phi">Any finite number; 0…7 are B0…B7, negative values scale below B0.</param>
    /// <returns>A new builder.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="phi"/> is NaN or infinite.</exception>
    public EfficientNetBuilder WithPhi(double phi)
    {
        if (!double.IsFinite(phi))
        {
            throw new ArgumentOutOfRangeException(nameof(phi), phi, "φ must be a finite number (0…7 give EfficientNet-B0…B7; negative values scale below B0).");
        }

        return With(b => b.phi = phi);
    }

    /// <summary>Uses pure compound scaling d = α^φ, w = β^φ, r = γ^φ from B0 instead of the published ladder.</summary>
    /// <param name="alpha">Depth factor α, finite and ≥ 1.</param>
    /// <param name="beta">Width factor β, finite and ≥ 1.</param>
    /// <param name="gamma">Resolution factor γ, finite and ≥ 1.</param>
    /// <returns>A new builder.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A factor is NaN, infinite or below 1.</exception>
    public EfficientNetBuilder WithCoefficients(double alpha, double beta, double gamma) =>
        WithCoefficients(new CompoundCoefficients(alpha, beta, gamma));

    /// <summary>Uses pure compound scaling with the given coefficients (for example <see cref="CompoundCoefficients.Paper"/>).</summary>
    /// <param name="coefficients">α, β, γ, each finite and ≥ 1.</param>
    /// <returns>A new builder.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A factor is NaN, infinite or below 1.</exception>
    public EfficientNetBuilder WithCoefficients(CompoundCoefficients coefficients)
    {
        ArgumentNullException.ThrowIfNull(coefficients);
        coefficients.Validate();
        return With(b => b.coefficients = coefficients);
    }

    /// <summary>Overrides the depth multiplier d that φ would give (repeats = ⌈base · d⌉).</summary>
    /// <param name="depthMultiplier">A finite number &gt; 0.</param>
    /// <returns>A new builder.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="depthMultiplier"/> is not a positive finite number.</exception>
    public EfficientNetBuilder WithDepth(double depthMultiplier)
    {
        Guard.PositiveFinite(depthMultiplier, nameof(depthMultiplier));
        ScaleLimits.Depth(NetworkPresets.EfficientNetB0, depthMultiplier, nameof(depthMultiplier), depthMultiplier);
        return With(b => b.depth = depthMultiplier);
    }

    /// <summary>Overrides the resolution multiplier r that φ would give (pixels = 224 · r, rounded to a multiple of 4).</summary>
    /// <param name="resolutionMultiplier">A finite number &gt; 0 giving at least 32 pixels.</param>
    /// <returns>A new builder.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="resolutionMultiplier"/> is not positive and finite, or gives fewer than 32 pixels.</exception>
    public EfficientNetBuilder WithResolutionMultiplier(double resolutionMultiplier)
    {
        Guard.PositiveFinite(resolutionMultiplier, nameof(resolutionMultiplier));
        ScaleLimits.Resolution(resolutionMultiplier, nameof(resolutionMultiplier), resolutionMultiplier);
        if (ToPixels(resolutionMultiplier) < MinimumResolution)
        {
            throw new ArgumentOutOfRangeException(nameof(resolutionMultiplier), resolutionMultiplier, $"The resolution multiplier gives {ToPixels(resolutionMultiplier)} pixels; at least {MinimumResolution} are needed.");
        }

        return With(b => (b.resolution, b.resolutionMultiplier) = (null, resolutionMultiplier));
    }

    /// <summary>Sets the stochastic depth rate (default 0.2; block i of N drops with probability rate · i / N).</summary>
    /// <param name="rate">Probability in [0, 1); 0 disables stochastic depth.</param>
    /// <returns>A new builder.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="rate"/> is outside [0, 1).</exception>
    public EfficientNetBuilder WithStochasticDepth(double rate)
    {
        Guard.Probability(rate, nameof(rate));
        return With(b => b.stochasticDepthRate = rate);
    }

    /// <summary>
    /// Keeps the stem's and the head's channels at B0's (32 and 1280) whatever the width, as EfficientNet-Lite
    /// does (timm's <c>fix_stem</c> and fixed head).
    /// </summary>
    /// <returns>A new builder.</returns>
    public EfficientNetBuilder WithFixedStemAndHead() => With(b => b.fixedStemAndHead = true);

    /// <summary>Keeps the first and last stage at B0's repeats whatever the depth, as EfficientNet-Lite does (timm's <c>fix_first_last</c>).</summary>
    /// <returns>A new builder.</returns>
    public EfficientNetBuilder WithFixedFirstAndLastRepeats() => With(b => b.fixedFirstAndLastRepeats = true);

    /// <inheritdoc />
    private protected override NetworkSpec Preset => NetworkPresets.EfficientNetB0;

    /// <inheritdoc />
    private protected override void ApplyWidth(double widthMultiplier) => width = widthMultiplier;

    /// <inheritdoc />
    private protected override void ApplyResolution(int pixels) => (resolution, resolutionMultiplier) = (pixels, null);

    /// <inheritdoc />
    /// <exception cref="ArgumentOutOfRangeException">φ (or the coefficients) give an input smaller than 32 pixels.</exception>
    public override NetworkSpec BuildSpec()
    {
        ScaledDimensions scaled = coefficients is null ? FromLadder(phi) : FromCoefficients(phi, coefficients);
        double w = width ?? scaled.Width;
        double d = depth ?? scaled.Depth;
        double r = resolution is int px ? px / (double)NetworkPresets.BaselineResolution : resolutionMultiplier ?? scaled.ResolutionMultiplier;

        // φ far outside the ladder (or huge coefficients) must fail here, in double, before any size is cast to int.
        ScaleLimits.Width(NetworkPresets.EfficientNetB0, w, nameof(phi), phi);
        ScaleLimits.Depth(NetworkPresets.EfficientNetB0, d, nameof(phi), phi);
        ScaleLimits.Resolution(r, nameof(phi), phi);
        int pixels = resolution ?? ToPixels(r);
        if (pixels < MinimumResolution)
        {
            throw new ArgumentOutOfRangeException(nameof(phi), phi, $"φ = {phi.ToString(CultureInfo.InvariantCulture)} gives a {pixels}-pixel input; at least {MinimumResolution} pixels are needed (the network halves the input five times).");
        }

        NetworkSpec baseline = NetworkPresets.EfficientNetB0;
        return WithSharedOptions(ScaleBaseline(baseline, w, d, fixedStemAndHead, fixedFirstAndLastRepeats) with
        {
            Name = NameFor(scaled.Rule, w, d, pixels),
            Resolution = pixels,
            Classifier = baseline.Classifier with { Dropout = scaled.Dropout },
            BatchNorm = scaled.BatchNorm,
            StochasticDepthRate = stochasticDepthRate,
            Scaling = new ScalingSpec(scaled.Rule, phi, w, d, r, scaled.Coefficients),
        });
    }

    /// <summary>
    /// Scales the baseline's channels by <paramref name="widthMultiplier"/> (round_filters of the
    /// <em>base</em> numbers: stem, every stage's in and out, head) and its repeats by
    /// <paramref name="depthMultiplier"/> (ceil). The only place where EfficientNet rounding is applied; the
    /// EfficientNet-Lite presets use it too, with the stem, head and first and last repeats fixed.
    /// </summary>
    internal static NetworkSpec ScaleBaseline(NetworkSpec baseline, double widthMultiplier, double depthMultiplier, bool fixedStemAndHead, bool fixedFirstAndLastRepeats)
    {
        int stem = fixedStemAndHead ? baseline.Stem.OutChannels : ChannelRounding.RoundFilters(baseline.Stem.OutChannels, widthMultiplier);
        int last = baseline.Stages.Count - 1;
        return baseline with
        {
            Stem = baseline.Stem with { OutChannels = stem },
            Stages = baseline.Stages
                .Select((stage, i) => stage with
                {
                    InChannels = i == 0 ? stem : ChannelRounding.RoundFilters(stage.InChannels, widthMultiplier),
                    OutChannels = ChannelRounding.RoundFilters(stage.OutChannels, widthMultiplier),
                    Repeats = fixedFirstAndLastRepeats && (i == 0 || i == last) ? stage.Repeats : ChannelRounding.RoundRepeats(stage.Repeats, depthMultiplier),
                })
                .ToArray(),
            Head = baseline.Head is { } head && !fixedStemAndHead
                ? head with { OutChannels = ChannelRounding.RoundFilters(head.OutChannels, widthMultiplier) }
                : baseline.Head,
        };
    }

    private static ScaledDimensions FromLadder(double phi)
    {
        if (phi < 0)
        {
            return Extrapolate(EfficientNetLadder.Get(0), phi);
        }

        if (phi > EfficientNetLadder.MaxPhi)
        {
            return Extrapolate(EfficientNetLadder.Get(EfficientNetLadder.MaxPhi), phi - EfficientNetLadder.MaxPhi);
        }

        int lower = (int)Math.Floor(phi);
        EfficientNetRung low = EfficientNetLadder.Get(lower);
        if (phi == lower)
        {
            return new ScaledDimensions(ScalingRule.PublishedLadder, low.WidthMultiplier, low.DepthMultiplier, RelativeResolution(low.Resolution), low.Dropout, low.BatchNorm, null);
        }

        EfficientNetRung high = EfficientNetLadder.Get(lower + 1);
        double t = phi - lower;
        return new ScaledDimensions(
            ScalingRule.InterpolatedLadder,
            Geometric(low.WidthMultiplier, high.WidthMultiplier, t),
            Geometric(low.DepthMultiplier, high.DepthMultiplier, t),
            Geometric(RelativeResolution(low.Resolution), RelativeResolution(high.Resolution), t),
            low.Dropout + ((high.Dropout - low.Dropout) * t),
            low.BatchNorm,
            null);

        static double Geometric(double a, double b, double t) => Math.Exp(((1 - t) * Math.Log(a)) + (t * Math.Log(b)));
    }

    private static ScaledDimensions Extrapolate(EfficientNetRung from, double steps)
    {
        CompoundCoefficients paper = CompoundCoefficients.Paper;
        return new ScaledDimensions(
            ScalingRule.CompoundExtrapolation,
            from.WidthMultiplier * paper.Width(steps),
            from.DepthMultiplier * paper.Depth(steps),
            RelativeResolution(from.Resolution) * paper.Resolution(steps),
            from.Dropout,
            from.BatchNorm,
            paper);
    }

    private static ScaledDimensions FromCoefficients(double phi, CompoundCoefficients coefficients)
    {
        EfficientNetRung b0 = EfficientNetLadder.Get(0);
        return new ScaledDimensions(
            ScalingRule.CompoundCoefficients,
            coefficients.Width(phi),
            coefficients.Depth(phi),
            coefficients.Resolution(phi),
            b0.Dropout,
            b0.BatchNorm,
            coefficients);
    }

    private static double RelativeResolution(int pixels) => pixels / (double)NetworkPresets.BaselineResolution;

    private static int ToPixels(double resolutionMultiplier) => ResolutionRounding.Nearest(NetworkPresets.BaselineResolution * resolutionMultiplier);

    private string NameFor(ScalingRule rule, double w, double d, int pixels)
    {
        bool overridden = width is not null || depth is not null || resolution is not null || resolutionMultiplier is not null;
        if (rule == ScalingRule.PublishedLadder && !overridden)
        {
            return $"efficientnet_b{(int)phi}";
        }

        string name = $"efficientnet_phi{Format(phi)}";
        if (coefficients is { } c)
        {
            name += $"_a{Format(c.Alpha)}_b{Format(c.Beta)}_g{Format(c.Gamma)}";
        }

        if (overridden)
        {
            name += $"_w{Format(w)}_d{Format(d)}_r{pixels}";
        }

        return name;

        static string Format(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);
    }

    private sealed record ScaledDimensions(
        ScalingRule Rule,
        double Width,
        double Depth,
        double ResolutionMultiplier,
        double Dropout,
        BatchNormSpec BatchNorm,
        CompoundCoefficients? Coefficients);
}
