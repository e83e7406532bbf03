namespace EfficientNet.Sharp.Training;

/// <summary>What a <see cref="Trainer"/> run did.</summary>
public sealed record TrainingResult
{
    /// <summary>Creates the <see cref="TrainingResult"/> from each of its values.</summary>
    /// <param name="Epochs">Every epoch trained in this call (a resumed run lists only the new ones).</param>
    /// <param name="BestValidationAccuracy">The best validation accuracy of the whole run, resumed epochs included; null without validation data.</param>
    /// <param name="BestCheckpoint">The best checkpoint's path; null without a checkpoint folder or validation data.</param>
    /// <param name="LastCheckpoint">The last checkpoint's path; null without a checkpoint folder.</param>
    /// <param name="Duration">Wall time of this call.</param>
    public TrainingResult(IReadOnlyList<EpochResult> Epochs, double? BestValidationAccuracy, string? BestCheckpoint, string? LastCheckpoint, TimeSpan Duration)
    {
        this.Epochs = Epochs;
        this.BestValidationAccuracy = BestValidationAccuracy;
        this.BestCheckpoint = BestCheckpoint;
        this.LastCheckpoint = LastCheckpoint;
        this.Duration = Duration;
    }

    /// <summary>Every epoch trained in this call (a resumed run lists only the new ones).</summary>
    public IReadOnlyList<EpochResult> Epochs { get; init; }

    /// <summary>The best validation accuracy of the whole run, resumed epochs included; null without validation data.</summary>
    public double? BestValidationAccuracy { get; init; }

    /// <summary>The best checkpoint's path; null without a checkpoint folder or validation data.</summary>
    public string? BestCheckpoint { get; init; }

    /// <summary>The last checkpoint's path; null without a checkpoint folder.</summary>
    public string? LastCheckpoint { get; init; }

    /// <summary>Wall time of this call.</summary>
    public TimeSpan Duration { get; init; }
}
