namespace EfficientNet.Sharp.Tests.Docs;

/// <summary>STYLE.md's small files: no source file of the packages or the tool grows past 400 lines (split it by concept).</summary>
public class SourceFileSizeTests
{
    private const int MaxLines = 400;

    [Test]
    public void SourceFiles_AreAtMost400Lines()
    {
        string src = Path.Combine(DocumentedSnippets.RepositoryRoot(), "src");
        string[] files = [.. Directory.EnumerateFiles(src, "*.cs", SearchOption.AllDirectories)
            .Where(path => !path.Split(Path.DirectorySeparatorChar).Any(part => part is "obj" or "bin"))];
        string[] tooLong = [.. files.Where(path => File.ReadLines(path).Count() > MaxLines).Select(path => Path.GetRelativePath(src, path))];

        Assert.That(files, Has.Length.GreaterThan(100), "the sources were found");
        Assert.That(tooLong, Is.Empty);
    }
}
