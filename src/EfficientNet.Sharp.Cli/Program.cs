using EfficientNet.Sharp.Cli;
using Spectre.Console;
using Spectre.Console.Cli;

// Redirected output (a file, a pipe, CI logs) has no terminal width; Spectre would assume 80
// columns and wrap the tables, so give it room.
if (Console.IsOutputRedirected)
{
    AnsiConsole.Profile.Width = 160;
}

var app = new CommandApp();
app.Configure(EffnetApp.Configure);
return app.Run(args);
