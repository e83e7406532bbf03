namespace EfficientNet.Sharp.Training;

/// <summary>A progress report of a <see cref="Trainer"/> run: after each step, each validation batch and each epoch.</summary>
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
public sealed record TrainingProgress(
    TrainingPhase Phase,
    int EpochNumber,
    int Epochs,
    int Step,
    int Steps,
    double Loss,
    double Accuracy,
    double ImagesPerSecond,
    double LearningRate,
    TimeSpan Remaining,
    EpochResult? Epoch);
