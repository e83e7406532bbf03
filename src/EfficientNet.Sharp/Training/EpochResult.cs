namespace EfficientNet.Sharp.Training;

/// <summary>One finished epoch of a <see cref="Trainer"/> run.</summary>
public sealed record EpochResult
{
    /// <summary>Creates the <see cref="EpochResult"/> from each of its values.</summary>
    /// <param name="Epoch">The epoch, from 1.</param>
    /// <param name="TrainLoss">Mean training loss (with label smoothing) over its steps.</param>
    /// <param name="TrainAccuracy">Training accuracy over its steps (on augmented images, in train mode), in [0, 1].</param>
    /// <param name="Validation">The validation result; null without validation data.</param>
    /// <param name="LearningRate">The learning rate of its last step.</param>
    /// <param name="Duration">Wall time of training and validation.</param>
    /// <param name="ImagesPerSecond">Training throughput.</param>
    /// <param name="FrozenStages">Feature levels frozen during it.</param>
    /// <param name="IsBest">Whether its validation accuracy is the best so far (saved as the best checkpoint).</param>
    public EpochResult(int Epoch, double TrainLoss, double TrainAccuracy, EvaluationResult? Validation, double LearningRate, TimeSpan Duration, double ImagesPerSecond, int FrozenStages, bool IsBest)
    {
        this.Epoch = Epoch;
        this.TrainLoss = TrainLoss;
        this.TrainAccuracy = TrainAccuracy;
        this.Validation = Validation;
        this.LearningRate = LearningRate;
        this.Duration = Duration;
        this.ImagesPerSecond = ImagesPerSecond;
        this.FrozenStages = FrozenStages;
        this.IsBest = IsBest;
    }

    /// <summary>The epoch, from 1.</summary>
    public int Epoch { get; init; }

    /// <summary>Mean training loss (with label smoothing) over its steps.</summary>
    public double TrainLoss { get; init; }

    /// <summary>Training accuracy over its steps (on augmented images, in train mode), in [0, 1].</summary>
    public double TrainAccuracy { get; init; }

    /// <summary>The validation result; null without validation data.</summary>
    public EvaluationResult? Validation { get; init; }

    /// <summary>The learning rate of its last step.</summary>
    public double LearningRate { get; init; }

    /// <summary>Wall time of training and validation.</summary>
    public TimeSpan Duration { get; init; }

    /// <summary>Training throughput.</summary>
    public double ImagesPerSecond { get; init; }

    /// <summary>Feature levels frozen during it.</summary>
    public int FrozenStages { get; init; }

    /// <summary>Whether its validation accuracy is the best so far (saved as the best checkpoint).</summary>
    public bool IsBest { get; init; }
}
