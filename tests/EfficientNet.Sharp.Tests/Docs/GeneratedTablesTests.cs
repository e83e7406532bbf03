namespace EfficientNet.Sharp.Tests.Docs;

/// <summary>
/// The tables docs/ copies from the registry and the weights catalog equal what the code says today. With
/// EFFICIENTNET_SHARP_UPDATE_DOCS=1 the test rewrites them instead (then review the diff).
/// </summary>
public class GeneratedTablesTests
{
    private const string UpdateVariable = "EFFICIENTNET_SHARP_UPDATE_DOCS";

    public static IEnumerable<TestCaseData> Tables() => GeneratedTables.All().Select(t => new TestCaseData(t.Name, t.Page, t.Markdown).SetName($"IsCurrent({t.Name})"));

    [TestCaseSource(nameof(Tables))]
    public void Table_IsCurrent(string name, string page, string markdown)
    {
        string path = Path.Combine(DocumentedSnippets.RepositoryRoot(), page);
        string text = File.ReadAllText(path);
        (int start, int end) = Region(text, name, page);
        string current = text[start..end];
        if (Environment.GetEnvironmentVariable(UpdateVariable) == "1" && current != markdown)
        {
            File.WriteAllText(path, text[..start] + markdown + text[end..]);
            Assert.Warn($"{page}: table '{name}' rewritten.");
            return;
        }

        Assert.That(current, Is.EqualTo(markdown), $"{page}'s table '{name}' differs from the code: run this test with {UpdateVariable}=1 and review the diff.");
    }

    /// <summary>The check can fail: a changed row is found.</summary>
    [Test]
    public void ChangedRow_IsFound()
    {
        (string name, string page, string markdown) = GeneratedTables.All().First();
        string text = $"before\n<!-- generated: {name} -->\n{markdown.Replace("|---|", "|--|", StringComparison.Ordinal)}<!-- end generated: {name} -->\nafter\n";
        (int start, int end) = Region(text, name, page);

        Assert.That(text[start..end], Is.Not.EqualTo(markdown));
    }

    /// <summary>Where the table's text lies: after its opening marker's line, up to its closing marker.</summary>
    private static (int Start, int End) Region(string text, string name, string page)
    {
        string open = $"<!-- generated: {name} -->\n", close = $"<!-- end generated: {name} -->";
        int start = text.IndexOf(open, StringComparison.Ordinal);
        int end = text.IndexOf(close, StringComparison.Ordinal);
        Assert.That(start, Is.GreaterThanOrEqualTo(0), $"{page} has no '{open.Trim()}' line");
        Assert.That(end, Is.GreaterThan(start), $"{page} has no '{close}' after its opening marker");
        return (start + open.Length, end);
    }
}
