using EfficientNet.Sharp.Specs;

namespace EfficientNet.Sharp.Scaling;

/// <summary>
/// What every network builder offers: classifier, input and BatchNorm options, and building the spec or
/// the module. Builders are immutable: every <c>With…</c> method returns a new builder, so one builder
/// can be the starting point of several networks.
/// </summary>
/// <typeparam name="TBuilder">The concrete builder, returned by every <c>With…</c> method.</typeparam>
public abstract class NetworkBuilder<TBuilder>
    where TBuilder : NetworkBuilder<TBuilder>
{
    private protected NetworkBuilder()
    {
    }

    /// <summary>Number of classes of the classifier.</summary>
    private protected int NumClasses { get; private set; } = 1000;

    /// <summary>Classifier dropout, or <see langword="null"/> for the family's (or the scale's) default.</summary>
    private protected double? Dropout { get; private set; }

    /// <summary>Channels of the input image.</summary>
    private protected int InputChannels { get; private set; } = 3;

    /// <summary>BatchNorm settings, or <see langword="null"/> for the family's (or the scale's) default.</summary>
    private protected BatchNormSpec? BatchNorm { get; private set; }

    /// <summary>How strided convolutions pad their input.</summary>
    private protected PaddingMode Padding { get; private set; } = PaddingMode.Symmetric;

    /// <summary>Sets the number of classes of the classifier (default 1000); 0 builds a headless network that returns its pooled features.</summary>
    /// <param name="numClasses">0 (headless) or more.</param>
    /// <returns>A new builder.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="numClasses"/> is negative.</exception>
    public TBuilder WithNumClasses(int numClasses)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(numClasses);
        return With(b => b.NumClasses = numClasses);
    }

    /// <summary>Sets the classifier dropout, replacing the family's or the scale's default.</summary>
    /// <param name="dropout">Probability in [0, 1).</param>
    /// <returns>A new builder.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="dropout"/> is outside [0, 1).</exception>
    public TBuilder WithDropout(double dropout)
    {
        Guard.Probability(dropout, nameof(dropout));
        return With(b => b.Dropout = dropout);
    }

    /// <summary>Sets the number of input channels (default 3; 1 for grayscale).</summary>
    /// <param name="channels">At least 1.</param>
    /// <returns>A new builder.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="channels"/> is below 1.</exception>
    public TBuilder WithInputChannels(int channels)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(channels);
        return With(b => b.InputChannels = channels);
    }

    /// <summary>Sets the BatchNorm settings of every normalisation layer, replacing the family's or the scale's default.</summary>
    /// <param name="batchNorm">The settings.</param>
    /// <returns>A new builder.</returns>
    public TBuilder WithBatchNorm(BatchNormSpec batchNorm)
    {
        ArgumentNullException.ThrowIfNull(batchNorm);
        return With(b => b.BatchNorm = batchNorm);
    }

    /// <summary>Sets how strided convolutions pad their input (default symmetric; TensorFlow "SAME" for weights ported from TensorFlow).</summary>
    /// <param name="padding">The padding mode.</param>
    /// <returns>A new builder.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="padding"/> is not a defined value.</exception>
    public TBuilder WithPadding(PaddingMode padding)
    {
        if (!Enum.IsDefined(padding))
        {
            throw new ArgumentOutOfRangeException(nameof(padding), padding, "Unknown padding mode.");
        }

        return With(b => b.Padding = padding);
    }

    /// <summary>
    /// Sets the width multiplier: every channel count of the family's preset is multiplied by it and rounded by the
    /// family's rule (EfficientNet's round_filters, MobileNet's make_divisible or truncation). Overrides the one φ gives.
    /// </summary>
    /// <param name="widthMultiplier">A positive finite number that keeps every layer of the selected variant between 1 and 65,536 channels.</param>
    /// <returns>A new builder.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="widthMultiplier"/> is not positive and finite, or leaves a layer with too many (or, for MobileNetV1, no) channels.</exception>
    public TBuilder WithWidth(double widthMultiplier)
    {
        Guard.PositiveFinite(widthMultiplier, nameof(widthMultiplier));
        ScaleLimits.Width(Preset, widthMultiplier, nameof(widthMultiplier), widthMultiplier);
        CheckFamilyWidth(widthMultiplier);
        return With(b => b.ApplyWidth(widthMultiplier));
    }

    /// <summary>Sets the input resolution in pixels, used as given (not rounded); overrides the one φ or the preset gives.</summary>
    /// <param name="pixels">From the family's total stride (32) to 8,192.</param>
    /// <returns>A new builder.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="pixels"/> is below the total stride or above 8,192.</exception>
    public TBuilder WithResolution(int pixels)
    {
        Guard.MinimumResolution(pixels, Preset.TotalStride, nameof(pixels));
        SpecLimits.Check(pixels, SpecLimits.MaxResolution, "pixels of input", nameof(pixels), pixels);
        return With(b => b.ApplyResolution(pixels));
    }

    /// <summary>The preset the builder scales (the selected variant): what <see cref="WithWidth"/> and <see cref="WithResolution"/> are checked against.</summary>
    private protected abstract NetworkSpec Preset { get; }

    /// <summary>A family's own limit on the width multiplier, beyond the shared ones; none by default.</summary>
    private protected virtual void CheckFamilyWidth(double widthMultiplier)
    {
    }

    /// <summary>Records a checked width multiplier on a copy of the builder.</summary>
    private protected abstract void ApplyWidth(double widthMultiplier);

    /// <summary>Records a checked resolution on a copy of the builder.</summary>
    private protected abstract void ApplyResolution(int pixels);

    /// <summary>Computes the architecture without allocating any tensor.</summary>
    /// <returns>The validated spec.</returns>
    /// <exception cref="ArgumentException">The chosen options give no valid network; the message says which.</exception>
    public abstract NetworkSpec BuildSpec();

    /// <summary>
    /// Applies the options every family shares — input channels, class count, dropout, BatchNorm and
    /// padding — over a family's scaled spec, whose classifier dropout and BatchNorm are the defaults an
    /// unset option keeps, and validates the result.
    /// </summary>
    private protected NetworkSpec WithSharedOptions(NetworkSpec scaled)
    {
        NetworkSpec spec = scaled with
        {
            InputChannels = InputChannels,
            Classifier = scaled.Classifier with { NumClasses = NumClasses, Dropout = Dropout ?? scaled.Classifier.Dropout },
            BatchNorm = BatchNorm ?? scaled.BatchNorm,
            Padding = Padding,
        };
        spec.Validate();
        return spec;
    }

    /// <summary>Returns a changed copy; the builder itself never changes.</summary>
    private protected TBuilder With(Action<TBuilder> change)
    {
        var copy = (TBuilder)MemberwiseClone();
        change(copy);
        return copy;
    }
}
