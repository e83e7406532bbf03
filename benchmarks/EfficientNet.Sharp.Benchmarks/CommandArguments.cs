using System.Globalization;

namespace EfficientNet.Sharp.Benchmarks;

/// <summary>"--name value" options of the benchmark project's own commands.</summary>
internal static class CommandArguments
{
    public static int Integer(string[] args, string name, int fallback) =>
        Text(args, name) is { } value ? int.Parse(value, CultureInfo.InvariantCulture) : fallback;

    public static string? Text(string[] args, string name)
    {
        int at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length ? args[at + 1] : null;
    }
}
