namespace EfficientNet.Sharp.Training;

/// <summary>
/// Training produced a loss, gradient or validation output that is not a finite number (NaN or infinity), so it
/// was stopped before the step could damage the weights. The checkpoints of earlier epochs are kept; none is
/// written for the failed epoch. The usual causes: a learning rate too high, no warm-up, or BatchNorm statistics
/// of batches too small to normalise.
/// </summary>
public sealed class TrainingDivergedException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="epoch">The epoch (from 1) in which it happened.</param>
    /// <param name="step">The optimizer step (from 1, over the whole run) in which it happened; for validation, the last step taken.</param>
    /// <param name="message">What was not finite, and what to try.</param>
    public TrainingDivergedException(int epoch, long step, string message)
        : base(message)
    {
        Epoch = epoch;
        Step = step;
    }

    /// <summary>The epoch, from 1, in which training diverged.</summary>
    public int Epoch { get; }

    /// <summary>The optimizer step, from 1 over the whole run, in which training diverged.</summary>
    public long Step { get; }
}
