using EfficientNet.Sharp.Specs;
using Spectre.Console;
using Spectre.Console.Cli;

namespace EfficientNet.Sharp.Cli.Commands;

/// <summary><c>effnet summary</c>: the scaled architecture as a table, computed from the spec (no tensors are allocated).</summary>
internal sealed class SummaryCommand(IAnsiConsole console) : Command<SummaryCommand.Settings>
{
    /// <summary>Options of <c>effnet summary</c>.</summary>
    public sealed class Settings : NetworkOptions
    {
    }

    /// <inheritdoc />
    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        NetworkSpec spec;
        try
        {
            spec = settings.BuildSpec();
        }
        catch (ArgumentException exception)
        {
            console.MarkupLineInterpolated($"[red]error:[/] {exception.Message}");
            return 2;
        }

        console.Write(SummaryTable.Create(spec));
        console.Write(SummaryTable.Totals(spec));
        return 0;
    }
}
