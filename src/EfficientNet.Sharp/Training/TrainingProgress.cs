namespace EfficientNet.Sharp.Training;

/// <summary>A progress report of a <see cref="Trainer"/> run: after each step, each validation batch and each epoch.</summary>
public sealed record TrainingProgress
{
    /// <summary>Creates the <see cref="TrainingProgress"/> from each of its values.</summary>
    /// <param name="Phase">What just finished.</param>
    /// <param name="EpochNumber">The epoch, from 1.</param>
    /// <param name="Epochs">Epochs in the run.</param>
    /// <param name="Step">Steps (or validation batches) done in this epoch.</param>
    /// <param name="Steps">Steps (or validation batches) in this epoch.</param>
    /// <param name="Loss">Mean training loss of this epoch so far.</param>
    /// <param name="Accuracy">Training accuracy of this epoch so far, in [0, 1].</param>
    /// <param name="ImagesPerSecond">Training throughput of this epoch so far.</param>
    /// <param name="LearningRate">The learning rate of the last step.</param>
    /// <param name="Remaining">Estimated time to the end of the run, from this epoch's pace.</param>
    /// <param name="Epoch">The finished epoch's result (phase <see cref="TrainingPhase.EpochCompleted"/> only).</param>
    public TrainingProgress(TrainingPhase Phase, int EpochNumber, int Epochs, int Step, int Steps, double Loss, double Accuracy, double ImagesPerSecond, double LearningRate, TimeSpan Remaining, EpochResult? Epoch)
    {
        this.Phase = Phase;
        this.EpochNumber = EpochNumber;
        this.Epochs = Epochs;
        this.Step = Step;
        this.Steps = Steps;
        this.Loss = Loss;
        this.Accuracy = Accuracy;
        this.ImagesPerSecond = ImagesPerSecond;
        this.LearningRate = LearningRate;
        this.Remaining = Remaining;
        this.Epoch = Epoch;
    }

    /// <summary>What just finished.</summary>
    public TrainingPhase Phase { get; init; }

    /// <summary>The epoch, from 1.</summary>
    public int EpochNumber { get; init; }

    /// <summary>Epochs in the run.</summary>
    public int Epochs { get; init; }

    /// <summary>Steps (or validation batches) done in this epoch.</summary>
    public int Step { get; init; }

    /// <summary>Steps (or validation batches) in this epoch.</summary>
    public int Steps { get; init; }

    /// <summary>Mean training loss of this epoch so far.</summary>
    public double Loss { get; init; }

    /// <summary>Training accuracy of this epoch so far, in [0, 1].</summary>
    public double Accuracy { get; init; }

    /// <summary>Training throughput of this epoch so far.</summary>
    public double ImagesPerSecond { get; init; }

    /// <summary>The learning rate of the last step.</summary>
    public double LearningRate { get; init; }

    /// <summary>Estimated time to the end of the run, from this epoch's pace.</summary>
    public TimeSpan Remaining { get; init; }

    /// <summary>The finished epoch's result (phase <see cref="TrainingPhase.EpochCompleted"/> only).</summary>
    public EpochResult? Epoch { get; init; }
}
