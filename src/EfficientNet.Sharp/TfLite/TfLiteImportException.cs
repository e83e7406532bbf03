namespace EfficientNet.Sharp.TfLite;

/// <summary>
/// A TFLite file could not be imported: it is not a valid TFLite flatbuffer, or its graph is not one of the
/// architectures the importer recognises. The message names the file and, for a graph that does not fit,
/// the first operator that did not.
/// </summary>
public sealed class TfLiteImportException : Exception
{
    /// <summary>Creates the exception for a problem with the file as a whole.</summary>
    /// <param name="message">What is wrong.</param>
    public TfLiteImportException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception for a problem found while reading the file, keeping what was found.</summary>
    /// <param name="message">What is wrong.</param>
    /// <param name="inner">The lower-level error.</param>
    public TfLiteImportException(string message, Exception inner)
        : base(message, inner)
    {
    }

    /// <summary>Creates the exception for an operator that does not fit the recognised architectures.</summary>
    /// <param name="message">What is wrong.</param>
    /// <param name="operatorIndex">The operator's position in the subgraph (execution order).</param>
    /// <param name="operatorName">The operator's schema name, e.g. <c>ADD</c>.</param>
    public TfLiteImportException(string message, int operatorIndex, string operatorName)
        : base(message)
    {
        OperatorIndex = operatorIndex;
        OperatorName = operatorName;
    }

    private TfLiteImportException(string message, int? operatorIndex, string? operatorName, Exception inner)
        : base(message, inner)
    {
        OperatorIndex = operatorIndex;
        OperatorName = operatorName;
    }

    /// <summary>The first operator that did not fit, when the problem is one operator; otherwise <see langword="null"/>.</summary>
    public int? OperatorIndex { get; }

    /// <summary>That operator's schema name (CONV_2D, ADD, …), when <see cref="OperatorIndex"/> is set.</summary>
    public string? OperatorName { get; }

    /// <summary>The same problem, with the file it was found in named first; this exception becomes the inner one.</summary>
    internal TfLiteImportException InFile(string sourceName) =>
        new($"'{sourceName}': {Message}", OperatorIndex, OperatorName, this);
}
