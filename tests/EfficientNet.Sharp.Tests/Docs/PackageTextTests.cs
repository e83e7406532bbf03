using System.Text.RegularExpressions;
using EfficientNet.Sharp.Models;
using EfficientNet.Sharp.Specs;

namespace EfficientNet.Sharp.Tests.Docs;

/// <summary>The texts a package user reads first — the main package's description and readme — name every family the registry serves.</summary>
public partial class PackageTextTests
{
    [Test]
    public void MainPackage_NamesEveryRegisteredFamily()
    {
        string root = DocumentedSnippets.RepositoryRoot();
        string description = Description().Match(File.ReadAllText(Path.Combine(root, "src", "EfficientNet.Sharp", "EfficientNet.Sharp.csproj"))).Groups[1].Value;
        string readme = File.ReadAllText(Path.Combine(root, "src", "EfficientNet.Sharp", "package-readme.md"));
        string[] families = [.. ModelRegistry.All.Select(m => m.Spec.Family).Distinct().Select(Written)];

        Assert.That(families, Has.Length.GreaterThanOrEqualTo(6));
        Assert.That(families.Where(f => !Regex.IsMatch(description, $@"\b{Regex.Escape(f)}\b")), Is.Empty, "the package description");
        Assert.That(families.Where(f => !Regex.IsMatch(readme, $@"\b{Regex.Escape(f)}\b")), Is.Empty, "the package readme");
    }

    /// <summary>How a family is written in prose.</summary>
    private static string Written(NetworkFamily family) => family switch
    {
        NetworkFamily.MobileNetV1 or NetworkFamily.MobileNetV2 or NetworkFamily.MobileNetV3 or NetworkFamily.EfficientNet or NetworkFamily.EfficientNetV2 => family.ToString(),
        NetworkFamily.EfficientNetLite => "EfficientNet-Lite",
        _ => throw new ArgumentOutOfRangeException(nameof(family), family, "A family this test does not know how to write."),
    };

    [GeneratedRegex("<Description>(.*?)</Description>", RegexOptions.Singleline)]
    private static partial Regex Description();
}
