using System.Text;
using System.Text.RegularExpressions;

namespace EfficientNet.Sharp.Tests.Docs;

/// <summary>
/// The C# blocks of the repository's documentation, as a reader copies them. A block is a complete program unless the
/// line before its fence marks it:
/// <list type="bullet">
/// <item><c>&lt;!-- snippet: continues --&gt;</c> — it goes on from the file's previous block (compiled together);</item>
/// <item><c>&lt;!-- snippet: compiled by FILE --&gt;</c> — it needs packages the tests do not reference, and FILE
/// (a script in the repository) compiles it;</item>
/// <item><c>&lt;!-- snippet: quoted --&gt;</c> — someone else's code, quoted to explain it (not ours to compile).</item>
/// </list>
/// </summary>
internal static partial class DocumentedSnippets
{
    /// <summary>The documents whose C# blocks are compiled: the README, every package readme and every page of docs/.</summary>
    public static IEnumerable<string> Documents()
    {
        string root = RepositoryRoot();
        yield return Path.Combine(root, "README.md");
        foreach (string readme in Directory.GetFiles(Path.Combine(root, "src"), "package-readme.md", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            yield return readme;
        }

        foreach (string page in Directory.GetFiles(Path.Combine(root, "docs"), "*.md").Order(StringComparer.Ordinal))
        {
            yield return page;
        }
    }

    /// <summary>The programs a document's C# blocks make (continued blocks joined to the one before), with how each is checked.</summary>
    public static IReadOnlyList<Snippet> In(string document)
    {
        string[] lines = File.ReadAllLines(document);
        var snippets = new List<Snippet>();
        for (int i = 0; i < lines.Length; i++)
        {
            if (!IsCSharpFence(lines[i]))
            {
                continue;
            }

            int start = i + 1;
            var code = new StringBuilder();
            for (i = start; i < lines.Length && !lines[i].TrimStart().StartsWith("```", StringComparison.Ordinal); i++)
            {
                code.AppendLine(lines[i]);
            }

            Match marker = Marker().Match(start >= 2 ? lines[start - 2].Trim() : "");
            string kind = marker.Success ? marker.Groups["kind"].Value : "program";
            if (kind == "continues")
            {
                Snippet previous = snippets.Count > 0 ? snippets[^1] : throw new InvalidDataException($"{document}:{start}: a block marked 'continues' has no block before it.");
                snippets[^1] = previous with { Code = previous.Code + code };
                continue;
            }

            snippets.Add(new Snippet(document, start, kind, marker.Groups["by"].Value, code.ToString()));
        }

        return snippets;
    }

    /// <summary>The repository's root: the folder above the test binaries that holds the solution.</summary>
    public static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "EfficientNet.Sharp.sln")))
            {
                return directory.FullName;
            }
        }

        throw new DirectoryNotFoundException($"No EfficientNet.Sharp.sln above {AppContext.BaseDirectory}.");
    }

    private static bool IsCSharpFence(string line) => line.Trim() is "```csharp" or "```cs" or "```c#";

    [GeneratedRegex(@"^<!-- snippet: (?<kind>continues|quoted|compiled by) ?(?<by>\S*) -->$")]
    private static partial Regex Marker();
}

/// <summary>One program of a document: where its first line is, how it is checked, and its code.</summary>
/// <param name="Document">The document's path.</param>
/// <param name="Line">The 1-based line of its first code line.</param>
/// <param name="Kind"><c>program</c>, <c>quoted</c> or <c>compiled by</c>.</param>
/// <param name="CompiledBy">For <c>compiled by</c>: the repository file that compiles it.</param>
/// <param name="Code">The code, continued blocks included.</param>
public sealed record Snippet(string Document, int Line, string Kind, string CompiledBy, string Code)
{
    public override string ToString() => $"{Path.GetFileName(Document)}:{Line}";
}
