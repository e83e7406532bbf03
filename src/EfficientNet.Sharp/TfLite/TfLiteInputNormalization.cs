namespace EfficientNet.Sharp.TfLite;

/// <summary>
/// A per-channel affine map y = scale · x + offset that the file applies to its input inside the graph (the
/// MUL, ADD, SUB and DIV by constants with which TensorFlow Lite Model Maker and Keras exports normalise
/// pixels) before the first convolution. The importer folds it into <see cref="TfLiteModel.Transform"/>.
/// </summary>
public sealed record TfLiteInputNormalization
{
    internal TfLiteInputNormalization(IReadOnlyList<double> scale, IReadOnlyList<double> offset, string operators)
    {
        Scale = scale;
        Offset = offset;
        Operators = operators;
    }

    /// <summary>The multiplier per input channel.</summary>
    public IReadOnlyList<double> Scale { get; }

    /// <summary>The offset per input channel, added after the multiplier.</summary>
    public IReadOnlyList<double> Offset { get; }

    /// <summary>The operators it was read from, in order, e.g. <c>MUL, ADD</c>.</summary>
    public string Operators { get; }

    /// <summary>Records compare their lists by reference; this compares the values.</summary>
    /// <param name="other">The other normalisation.</param>
    /// <returns>Whether scales, offsets and operators are equal.</returns>
    public bool Equals(TfLiteInputNormalization? other) =>
        other is not null && Scale.SequenceEqual(other.Scale) && Offset.SequenceEqual(other.Offset) && Operators == other.Operators;

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Scale.Count, Operators);
}
