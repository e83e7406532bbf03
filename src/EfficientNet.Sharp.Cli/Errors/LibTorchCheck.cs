using Spectre.Console.Cli;

namespace EfficientNet.Sharp.Cli.Errors;

/// <summary>Runs before every command; for those that use TorchSharp, the one place where libtorch's availability is checked.</summary>
internal sealed class LibTorchCheck : ICommandInterceptor
{
    /// <summary>The prerequisite script, shipped next to the tool (and in the repository's eng/ folder).</summary>
    public static string PrerequisiteScript => Path.Combine(AppContext.BaseDirectory, "eng", "install-prerequisites.sh");

    public void Intercept(CommandContext context, CommandSettings settings)
    {
        if (settings is IUsesLibTorch { NeedsLibTorch: true })
        {
            LibTorch.EnsureAvailable();
        }
    }

    public void InterceptResult(CommandContext context, CommandSettings settings, ref int result)
    {
    }

    /// <summary>The fix, as commands to copy.</summary>
    public static IEnumerable<string> Hints(LibTorchUnavailableException exception)
    {
        if (exception.MissingSymbolVersion is not null)
        {
            yield return $"on Debian 12, run once: sudo bash '{PrerequisiteScript}'";
            yield return "it adds Debian 13 (trixie) from your apt mirror with pin priority 100 (nothing else is upgraded unless asked) and runs: apt-get install -t trixie libstdc++6";
            yield return "on other distributions, install libstdc++ from GCC 13 or newer.";
        }
        else
        {
            yield return "an application needs one TorchSharp backend package: dotnet add package TorchSharp-cpu (or a CUDA bundle).";
        }
    }
}
