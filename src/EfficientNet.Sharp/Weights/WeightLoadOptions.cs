namespace EfficientNet.Sharp.Weights;

/// <summary>How <see cref="WeightLoader"/> matches a checkpoint to a network.</summary>
public sealed record WeightLoadOptions
{
    /// <summary>The default: strict, layout detected, the checkpoint's classifier required, input channels adapted.</summary>
    public static WeightLoadOptions Default { get; } = new();

    /// <summary>The checkpoint's naming (default: detected from its keys).</summary>
    public KeyLayout Layout { get; init; } = KeyLayout.Auto;

    /// <summary>
    /// When true (the default), any missing key, unexpected key, shape or dtype mismatch fails the whole
    /// load with one exception listing them all, and nothing is copied. When false, what cannot be
    /// loaded is skipped and listed in the report.
    /// </summary>
    public bool Strict { get; init; } = true;

    /// <summary>
    /// Renames each checkpoint key to this library's name before matching; return <see langword="null"/>
    /// to leave a key out. When set, <see cref="Layout"/> is not applied. Use it for checkpoints of other
    /// code bases (a detector's backbone, for example).
    /// </summary>
    public Func<string, string?>? RenameKey { get; init; }

    /// <summary>
    /// When true, a classifier whose shape differs from the checkpoint's (another number of classes) keeps the
    /// network's own new, random weights and everything else loads: the transfer-learning case, asked for
    /// explicitly. When false (the default), such a load is refused with a <see cref="WeightMismatchException"/> that
    /// names both class counts, so weights are never silently paired with a random classifier; build the network
    /// with the checkpoint's classes (<see cref="Checkpoint.FitClassifier"/>) instead.
    /// </summary>
    public bool KeepNewClassifier { get; init; }

    /// <summary>
    /// When true (the default), a stem built for other than 3 input channels receives the checkpoint's
    /// RGB filters adapted as timm does: summed over the colours for one channel, repeated and scaled by
    /// 3 / channels for more.
    /// </summary>
    public bool AdaptInputChannels { get; init; } = true;
}
