namespace EfficientNet.Sharp.Cli.Errors;

/// <summary>
/// Where commands write what is not their result: notes such as the weight load summary go to stderr, so that
/// stdout carries only the results a script reads.
/// </summary>
internal sealed class Diagnostics(TextWriter writer)
{
    /// <summary>Writes one line to stderr.</summary>
    public void Note(string line) => writer.WriteLine(line);
}
