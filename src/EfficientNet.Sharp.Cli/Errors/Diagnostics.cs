namespace EfficientNet.Sharp.Cli.Errors;

/// <summary>
/// Where commands write what is not their result: notes (the weight load summary) and progress go to stderr, so that
/// stdout carries only the results a script reads. Progress is shown only on a terminal.
/// </summary>
internal sealed class Diagnostics(TextWriter writer, bool isTerminal)
{
    /// <summary>Whether stderr is a terminal a person watches (not a file, pipe or CI log).</summary>
    public bool IsTerminal { get; } = isTerminal;

    /// <summary>Writes one line to stderr (below the progress line, which it clears, on a terminal).</summary>
    public void Note(string line)
    {
        EndProgress();
        writer.WriteLine(line);
    }

    /// <summary>Rewrites the progress line in place, on a terminal only.</summary>
    public void Progress(string line)
    {
        if (IsTerminal)
        {
            writer.Write($"\r{line}\u001b[K");
        }
    }

    /// <summary>Clears the progress line, on a terminal only.</summary>
    public void EndProgress()
    {
        if (IsTerminal)
        {
            writer.Write("\r\u001b[K");
        }
    }
}
