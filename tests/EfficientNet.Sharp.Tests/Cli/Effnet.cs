using EfficientNet.Sharp.Cli;
using Spectre.Console.Cli.Testing;

namespace EfficientNet.Sharp.Tests.Cli;

/// <summary>What an in-process <c>effnet</c> run printed: stdout (Spectre's console) and stderr (the error contract) apart.</summary>
internal sealed record EffnetResult(int ExitCode, string Output, string Errors);

/// <summary>Runs the <c>effnet</c> command tree in-process, as Program.cs configures it.</summary>
internal static class Effnet
{
    public static EffnetResult Run(params string[] args)
    {
        using var errors = new StringWriter();
        var app = new CommandAppTester();
        app.Configure(config => EffnetApp.Configure(config, errors));
        CommandAppResult result = app.Run(args);
        return new EffnetResult(result.ExitCode, result.Output, errors.ToString());
    }
}
