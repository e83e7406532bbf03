namespace EfficientNet.Sharp.Training;

/// <summary>
/// The inner exception of the <see cref="InvalidDataException"/> the evaluator throws when a network's outputs
/// contain NaN or infinity; the trainer recognises it and reports a <see cref="TrainingDivergedException"/>.
/// </summary>
internal sealed class NonFiniteOutputException(string detail) : Exception($"Non-finite outputs: {detail}.")
{
    /// <summary>Which outputs were not finite, for the trainer's message.</summary>
    public string Detail { get; } = detail;
}
