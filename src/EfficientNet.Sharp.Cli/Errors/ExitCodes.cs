namespace EfficientNet.Sharp.Cli.Errors;

/// <summary>
/// The exit codes of every <c>effnet</c> command (README, "Exit codes"). A failing command writes one
/// line to stderr, <c>error: …</c>, sometimes followed by <c>hint: …</c> lines, and never a stack trace.
/// </summary>
internal static class ExitCodes
{
    /// <summary>The command did what was asked.</summary>
    public const int Success = 0;

    /// <summary>An input file cannot be used: missing, unreadable, damaged, too large, or not what the command needs.</summary>
    public const int BadInput = 1;

    /// <summary>The command line is wrong: an unknown command or option, a missing or extra argument, an option value out of range, options that do not go together.</summary>
    public const int Usage = 2;

    /// <summary>A download failed: the server refused, the network failed or stalled on every attempt, or another process held the file's lock too long.</summary>
    public const int Network = 3;

    /// <summary>The runtime failed: libtorch could not be loaded or reported an error, or memory ran out.</summary>
    public const int Runtime = 4;

    /// <summary><c>effnet fit</c> measured the candidates and none meets the budget.</summary>
    public const int NothingFits = 5;

    /// <summary><c>effnet export --int8 --max-agreement-drop</c>: the int8 file agreed with the float file on too few held-out images; nothing was written.</summary>
    public const int QualityRefused = 6;

    /// <summary>A bug in effnet: an error it does not know how to explain (set EFFNET_DEBUG=1 for the stack trace).</summary>
    public const int InternalError = 70;

    /// <summary>Interrupted (Ctrl+C), as shells report SIGINT.</summary>
    public const int Cancelled = 130;
}
