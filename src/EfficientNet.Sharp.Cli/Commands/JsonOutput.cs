using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Spectre.Console;

namespace EfficientNet.Sharp.Cli.Commands;

/// <summary>
/// <c>--json</c>: a command's result as one JSON document on stdout, for scripts. Every document starts with
/// <c>"schema": "effnet/COMMAND/VERSION"</c>; docs/json-output.md describes each. Fields are camelCase, counts are
/// integers, times are milliseconds, sizes are bytes, and a value that does not exist is <c>null</c>.
/// </summary>
internal static class JsonOutput
{
    /// <summary>The version of every command's schema; raised when a field changes meaning or goes away (new fields do not).</summary>
    public const int SchemaVersion = 1;

    private static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>Writes the result, past the console's rendering (which would wrap long lines).</summary>
    /// <param name="console">The command's console; its writer is stdout.</param>
    /// <param name="command">The command's name in the schema, e.g. <c>summary</c> or <c>weights-list</c>.</param>
    /// <param name="result">An object whose public properties are the document's fields.</param>
    public static void Write(IAnsiConsole console, string command, object result)
    {
        JsonObject fields = JsonSerializer.SerializeToNode(result, Options)?.AsObject()
            ?? throw new ArgumentException("The result serialises to nothing.", nameof(result));
        var document = new JsonObject { ["schema"] = $"effnet/{command}/{SchemaVersion}" };
        foreach (string name in fields.Select(f => f.Key).ToList())
        {
            JsonNode? value = fields[name];
            fields.Remove(name);
            document[name] = value;
        }

        console.Profile.Out.Writer.WriteLine(document.ToJsonString(Options));
    }

    /// <summary>A finite number, or <see langword="null"/> for NaN and infinities, which JSON cannot hold.</summary>
    public static double? Finite(double value) => double.IsFinite(value) ? value : null;
}
