namespace EfficientNet.Sharp.Training;

/// <summary>What a <see cref="TrainingProgress"/> report is about.</summary>
public enum TrainingPhase
{
    /// <summary>A training step finished.</summary>
    Training,

    /// <summary>A validation batch finished.</summary>
    Validating,

    /// <summary>An epoch finished (validated and checkpointed); <see cref="TrainingProgress.Epoch"/> has its result.</summary>
    EpochCompleted,
}
