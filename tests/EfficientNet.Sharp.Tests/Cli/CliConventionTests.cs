using System.ComponentModel;
using System.Reflection;
using EfficientNet.Sharp.Cli;
using EfficientNet.Sharp.Cli.Commands;
using EfficientNet.Sharp.Data;
using EfficientNet.Sharp.Inference;
using EfficientNet.Sharp.Planning;
using EfficientNet.Sharp.Specs;
using EfficientNet.Sharp.Training;
using Spectre.Console.Cli;

namespace EfficientNet.Sharp.Tests.Cli;

/// <summary>
/// The tool's conventions across its commands: every help page renders, an option name means one thing (same value
/// kind, same short form) wherever it appears, and defaults are said once, in the option's description.
/// </summary>
public class CliConventionTests
{
    /// <summary>Every command path the tool has.</summary>
    private static readonly string[][] Commands =
    [
        ["summary"], ["fit"], ["classify"], ["export"], ["train"], ["evaluate"], ["profile-device"], ["predict"], ["models"], ["weights", "list"], ["weights", "download"],
    ];

    /// <summary>Names whose value kind differs on purpose, and why.</summary>
    private static readonly Dictionary<string, string> Exceptions = new(StringComparer.Ordinal)
    {
        ["--output"] = "where the result goes: a file, or for train the folder of its checkpoints",
        ["--device"] = "the device to answer for: fit also measures cpu or cuda itself, predict needs a profile file",
    };

    public static IEnumerable<TestCaseData> CommandPaths() => Commands.Select(c => new TestCaseData((object)c).SetName($"Help({string.Join(' ', c)})"));

    [TestCaseSource(nameof(CommandPaths))]
    public void Help_RendersAndShowsDefaultsOnce(string[] command)
    {
        EffnetResult result = Effnet.Run([.. command, "--help"]);

        Assert.That(result.ExitCode, Is.Zero, result.Output + result.Errors);
        Assert.That(result.Output, Does.Contain("OPTIONS:"));
        Assert.That(result.Output, Does.Not.Contain("DEFAULT"), "defaults are said in the description, not in a second column");
    }

    [Test]
    public void EveryOptionName_HasOneValueKindAndOneShortForm()
    {
        var seen = new Dictionary<string, (string Template, string Where)>(StringComparer.Ordinal);
        var conflicts = new List<string>();
        foreach ((Type settings, CommandOptionAttribute option) in Options())
        {
            foreach (string name in option.LongNames.Select(n => "--" + n))
            {
                string template = $"{string.Join("|", option.ShortNames.Select(s => "-" + s))} {name} {option.ValueName}".Trim();
                if (seen.TryGetValue(name, out var first) && first.Template != template && !Exceptions.ContainsKey(name))
                {
                    conflicts.Add($"{name}: '{first.Template}' in {first.Where}, '{template}' in {settings.FullName}");
                }

                seen.TryAdd(name, (template, settings.FullName!));
            }
        }

        Assert.That(seen, Has.Count.GreaterThan(40), "the options were found");
        Assert.That(conflicts, Is.Empty);
    }

    [Test]
    public void NoOption_HasADefaultValueAttribute()
    {
        string[] offenders = [.. OptionsWithProperties().Where(o => o.Property.GetCustomAttribute<DefaultValueAttribute>() is not null).Select(o => $"{o.Settings.Name}.{o.Property.Name}")];

        Assert.That(offenders, Is.Empty, "[DefaultValue] prints the default a second time in help; say it in the description");
    }

    /// <summary>
    /// <c>--weights</c> takes a file or a catalog name in every command: offline with an empty cache, each asks for the
    /// catalog entry's file (a command that took the name for a missing file would say so instead).
    /// </summary>
    [TestCase("classify", "image.png")]
    [TestCase("export", "--output", "{out}")]
    [TestCase("evaluate", "--fashion-mnist", "{fashion}")]
    [NonParallelizable]
    public void WeightsOption_TakesACatalogName(params string[] args)
    {
        using var cache = new OfflineEmptyCache();

        EffnetResult result = Effnet.Run([.. args.Select(a => a switch { "{out}" => cache.File("x.onnx"), "{fashion}" => TestData.FashionMnistFolder(), _ => a }), "--weights", "MobileNetV3_Small.ImageNet1K_V1"]);

        Assert.That(result.ExitCode, Is.EqualTo(1), result.Output + result.Errors);
        Assert.That(result.Errors, Does.Contain("mobilenet_v3_small-047dcff4.pth"));
    }

    /// <summary>What the tool prints back for an enum is the word its options take, for every value.</summary>
    [Test]
    public void EveryEnumValue_HasAUserFacingName()
    {
        Assert.That(Enum.GetValues<OptimizerKind>().Select(OptionNames.Name), Is.Unique.And.All.Match("^[a-z-]+$"));
        Assert.That(Enum.GetValues<Augmentation>().Select(OptionNames.Name), Is.Unique.And.All.Match("^[a-z-]+$"));
        Assert.That(Enum.GetValues<PaddingMode>().Select(OptionNames.Name), Is.Unique.And.All.Match("^[a-z-]+$"));
        Assert.That(Enum.GetValues<ScalingMode>().Select(ScalingModeNames.Name), Is.Unique.And.All.Match("^[a-z-]+$"));
        Assert.That(Enum.GetValues<OptimizerKind>().Select(k => OptionNames.ParseOptimizer(OptionNames.Name(k))), Is.EqualTo(Enum.GetValues<OptimizerKind>().Cast<OptimizerKind?>()));
        Assert.That(Enum.GetValues<Augmentation>().Select(a => OptionNames.ParseAugmentation(OptionNames.Name(a))), Is.EqualTo(Enum.GetValues<Augmentation>().Cast<Augmentation?>()));
        Assert.That(EvalTransform.TensorFlowLite(224, [0.5f], [0.5f]).ToString(), Does.Contain("(bilinear, half-pixel centres)"));
    }

    private static IEnumerable<(Type Settings, CommandOptionAttribute Option, PropertyInfo Property)> OptionsWithProperties() =>
        typeof(EffnetApp).Assembly.GetTypes()
            .Where(t => typeof(CommandSettings).IsAssignableFrom(t) && !t.IsAbstract)
            .SelectMany(t => t.GetProperties(BindingFlags.Public | BindingFlags.Instance)
                .Select(p => (t, p.GetCustomAttribute<CommandOptionAttribute>(), p))
                .Where(x => x.Item2 is not null)
                .Select(x => (x.t, x.Item2!, x.p)));

    private static IEnumerable<(Type Settings, CommandOptionAttribute Option)> Options() => OptionsWithProperties().Select(o => (o.Settings, o.Option));
}
