using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace EfficientNet.Sharp.Tests.Docs;

/// <summary>
/// Every C# block in the README, the package readmes and docs/ compiles as a reader would paste it into a new console
/// app (<c>dotnet new console</c>: top-level statements, implicit usings, nullable on) that references the packages.
/// </summary>
public class DocumentedSnippetTests
{
    /// <summary>What <c>dotnet new console</c>'s implicit usings give every file.</summary>
    private const string ImplicitUsings = """
        global using System;
        global using System.Collections.Generic;
        global using System.IO;
        global using System.Linq;
        global using System.Net.Http;
        global using System.Threading;
        global using System.Threading.Tasks;
        """;

    private static readonly Lazy<IReadOnlyList<MetadataReference>> References = new(() =>
        [.. ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Where(path => path.EndsWith(".dll", StringComparison.OrdinalIgnoreCase))
            .Select(path => MetadataReference.CreateFromFile(path))]);

    public static IEnumerable<TestCaseData> Programs() =>
        DocumentedSnippets.Documents().SelectMany(DocumentedSnippets.In).Where(s => s.Kind == "program").Select(s => new TestCaseData(s).SetName($"Compiles({s})"));

    public static IEnumerable<TestCaseData> CompiledElsewhere() =>
        DocumentedSnippets.Documents().SelectMany(DocumentedSnippets.In).Where(s => s.Kind == "compiled by").Select(s => new TestCaseData(s).SetName($"CompiledBy({s})"));

    [TestCaseSource(nameof(Programs))]
    public void Snippet_Compiles(Snippet snippet)
    {
        IReadOnlyList<string> errors = Errors(snippet.Code, snippet.ToString());

        Assert.That(errors, Is.Empty, $"{snippet.Document}:{snippet.Line} does not compile as written:\n{string.Join("\n", errors)}\n\n{snippet.Code}");
    }

    /// <summary>A block left to a script must name a script that really reads the document.</summary>
    [TestCaseSource(nameof(CompiledElsewhere))]
    public void SnippetLeftToAScript_IsReadByIt(Snippet snippet)
    {
        string script = Path.Combine(DocumentedSnippets.RepositoryRoot(), snippet.CompiledBy);

        Assert.That(File.Exists(script), $"{snippet}: '{snippet.CompiledBy}' does not exist");
        Assert.That(File.ReadAllText(script), Does.Contain(Path.GetRelativePath(DocumentedSnippets.RepositoryRoot(), snippet.Document)));
    }

    /// <summary>The check itself can fail: a block with a missing namespace is reported with the compiler's error.</summary>
    [Test]
    public void MissingUsing_IsAnError()
    {
        Assert.That(Errors("var spec = new EfficientNetBuilder().BuildSpec();", "sample"), Has.Some.Contain("CS0246"));
        Assert.That(Errors("using EfficientNet.Sharp.Scaling;\nvar spec = new EfficientNetBuilder().BuildSpec();", "sample"), Is.Empty);
    }

    [Test]
    public void EveryDocumentWithCode_IsFound()
    {
        string[] documents = [.. DocumentedSnippets.Documents().Where(d => DocumentedSnippets.In(d).Count > 0).Select(Path.GetFileName)!];

        Assert.That(documents, Does.Contain("README.md").And.Contain("quantization.md").And.Contain("package-readme.md"));
    }

    private static IReadOnlyList<string> Errors(string code, string name)
    {
        CSharpParseOptions parse = new(LanguageVersion.Latest);
        CSharpCompilation compilation = CSharpCompilation.Create(
            "Snippet",
            [CSharpSyntaxTree.ParseText(ImplicitUsings, parse, "ImplicitUsings.cs"), CSharpSyntaxTree.ParseText(code, parse, name)],
            References.Value,
            new CSharpCompilationOptions(OutputKind.ConsoleApplication, nullableContextOptions: NullableContextOptions.Enable));
        return [.. compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).Select(d => d.ToString())];
    }
}
