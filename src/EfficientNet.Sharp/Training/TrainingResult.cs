namespace EfficientNet.Sharp.Training;

/// <summary>What a <see cref="Trainer"/> run did.</summary>
/// <param name="Epochs">Every epoch trained in this call (a resumed run lists only the new ones).</param>
/// <param name="BestValidationAccuracy">The best validation accuracy of the whole run, resumed epochs included; null without validation data.</param>
/// <param name="BestCheckpoint">The best checkpoint's path; null without a checkpoint folder or validation data.</param>
/// <param name="LastCheckpoint">The last checkpoint's path; null without a checkpoint folder.</param>
/// <param name="Duration">Wall time of this call.</param>
public sealed record TrainingResult(
    IReadOnlyList<EpochResult> Epochs,
    double? BestValidationAccuracy,
    string? BestCheckpoint,
    string? LastCheckpoint,
    TimeSpan Duration);
