namespace EfficientNet.Sharp.Training;

/// <summary>One finished epoch of a <see cref="Trainer"/> run.</summary>
/// <param name="Epoch">The epoch, from 1.</param>
/// <param name="TrainLoss">Mean training loss (with label smoothing) over its steps.</param>
/// <param name="TrainAccuracy">Training accuracy over its steps (on augmented images, in train mode), in [0, 1].</param>
/// <param name="Validation">The validation result; null without validation data.</param>
/// <param name="LearningRate">The learning rate of its last step.</param>
/// <param name="Duration">Wall time of training and validation.</param>
/// <param name="ImagesPerSecond">Training throughput.</param>
/// <param name="FrozenStages">Feature levels frozen during it.</param>
/// <param name="IsBest">Whether its validation accuracy is the best so far (saved as the best checkpoint).</param>
public sealed record EpochResult(
    int Epoch,
    double TrainLoss,
    double TrainAccuracy,
    EvaluationResult? Validation,
    double LearningRate,
    TimeSpan Duration,
    double ImagesPerSecond,
    int FrozenStages,
    bool IsBest);
