using System.Runtime.InteropServices;
using EfficientNet.Sharp.Cli;
using EfficientNet.Sharp.Cli.Errors;
using Spectre.Console;
using Spectre.Console.Cli;

// Redirected output (a file, a pipe, CI logs) has no terminal width; Spectre would assume 80
// columns and wrap the tables, so give it room.
if (Console.IsOutputRedirected)
{
    AnsiConsole.Profile.Width = 160;
}

// Ctrl+C (SIGINT) and SIGTERM cancel the running command instead of killing the process: it stops at its next
// check, removes its temporary files, leaves every output as it was, and exits with 130. A second signal is
// not intercepted, so it ends a command that does not stop.
using var cancellation = new CancellationTokenSource();
using PosixSignalRegistration interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Cancel);
using PosixSignalRegistration terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Cancel);

var app = new CommandApp();
app.Configure(EffnetApp.Configure);
int code = app.Run(args, cancellation.Token);
if (cancellation.IsCancellationRequested && code != ExitCodes.Cancelled)
{
    // The signal came after the command's last check: its work is done, but the run was still interrupted.
    Console.Error.WriteLine("error: interrupted after the command had finished its work (its outputs are complete).");
    return ExitCodes.Cancelled;
}

return code;

void Cancel(PosixSignalContext context)
{
    if (!cancellation.IsCancellationRequested)
    {
        context.Cancel = true;
        cancellation.Cancel();
    }
}
