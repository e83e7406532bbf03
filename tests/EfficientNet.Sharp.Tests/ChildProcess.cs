using System.Diagnostics;

namespace EfficientNet.Sharp.Tests;

/// <summary>What a finished child process wrote and how it exited.</summary>
internal sealed record ChildProcessResult(int ExitCode, string Output, string Error);

/// <summary>Runs a program to its end with stdout and stderr captured apart (read concurrently, so neither pipe can fill and stall it).</summary>
internal static class ChildProcess
{
    /// <summary>The effnet tool as built next to the tests (<c>dotnet effnet.dll …</c>).</summary>
    public static ChildProcessResult Effnet(IReadOnlyDictionary<string, string>? environment, params string[] args) =>
        Run("dotnet", null, environment, [Path.Combine(AppContext.BaseDirectory, "effnet.dll"), .. args]);

    public static ChildProcessResult Run(string program, string? directory, IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        if (directory is not null)
        {
            start.WorkingDirectory = directory;
        }

        foreach ((string name, string value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using Process process = Process.Start(start)!;
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Task<string> error = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        return new ChildProcessResult(process.ExitCode, output.Result, error.Result);
    }
}
