using System.Globalization;
using EfficientNet.Sharp.Planning;
using Spectre.Console;

namespace EfficientNet.Sharp.Cli.Commands;

/// <summary>Renders fit results: the candidates with the choice highlighted, and a comparison of modes.</summary>
internal static class FitReport
{
    public static void Write(IAnsiConsole console, FitResult result)
    {
        var table = new Table()
            .Title($"[bold]{Markup.Escape(result.Family)}[/] scaling on {Markup.Escape(result.Device)}: {Markup.Escape(result.Budget.ToString())}")
            .AddColumns("φ", "Network", "Input")
            .AddColumn(new TableColumn("Parameters").RightAligned())
            .AddColumn(new TableColumn("GMACs").RightAligned())
            .AddColumn(new TableColumn("Latency (ms)").RightAligned())
            .AddColumn(new TableColumn("Predicted").RightAligned())
            .AddColumn(new TableColumn("Peak memory").RightAligned())
            .AddColumn("Fits");
        foreach (FitCandidate candidate in result.Candidates)
        {
            bool chosen = result.Chosen is { } c && c.Phi == candidate.Phi;
            string style = chosen ? "bold green" : candidate.MeetsBudget ? "default" : "grey";
            string[] cells =
            [
                Invariant($"{candidate.Phi:0.0}"),
                candidate.Spec.Name,
                Invariant($"{candidate.Spec.Resolution} px"),
                Invariant($"{candidate.Analysis.Parameters:N0}"),
                Invariant($"{candidate.Analysis.GigaMultiplyAccumulates:0.000}"),
                candidate.Measurement switch
                {
                    { IsPredicted: true } m => Invariant($"{m.LatencyMilliseconds:0.00} (predicted)"),
                    { } m => Invariant($"{m.LatencyMilliseconds:0.0} ± {m.LatencySpreadMilliseconds:0.0}"),
                    null => "–",
                },
                candidate.PredictedLatencyMilliseconds is double p ? Invariant($"{p:0.0}") : "–",
                $"{SummaryTable.Bytes(candidate.PeakMemoryBytes)}{(candidate.PeakMemoryWasMeasured ? "" : " (est.)")}",
                chosen ? "chosen" : candidate.MeetsBudget ? "yes" : "no",
            ];
            table.AddRow(cells.Select(text => new Markup($"[{style}]{Markup.Escape(text)}[/]")));
        }

        console.Write(table);
        if (result.Chosen is { } choice)
        {
            console.MarkupLineInterpolated($"[green]Largest network that fits:[/] φ = {choice.Phi.ToString("0.0", CultureInfo.InvariantCulture)} → [bold]{choice.Spec.Name}[/] ({choice.Spec.Resolution} px).");
            if (result.NextLarger is { } next)
            {
                console.MarkupLineInterpolated($"φ = {next.Phi.ToString("0.0", CultureInfo.InvariantCulture)} breaks the budget: {string.Join("; ", next.Violations)}.");
            }

            if (result.Remeasurements > 0)
            {
                console.MarkupLineInterpolated($"The boundary was decided after {result.Remeasurements} re-measurement{(result.Remeasurements == 1 ? "" : "s")} (the first φ over the budget and the φ below it, measured again together).");
            }
        }
        else
        {
            FitCandidate smallest = result.Smallest;
            console.MarkupLineInterpolated($"[red]Nothing fits.[/] The smallest network searched, φ = {smallest.Phi.ToString("0.0", CultureInfo.InvariantCulture)} ({smallest.Spec.Name}), breaks the budget: {string.Join("; ", smallest.Violations)}.");
        }

        console.WriteLine();
    }

    public static void WriteComparison(IAnsiConsole console, IReadOnlyList<FitResult> results)
    {
        var table = new Table()
            .Title("[bold]Best network per scaling mode[/]")
            .AddColumns("Mode", "φ", "Network", "Input")
            .AddColumn(new TableColumn("Parameters").RightAligned())
            .AddColumn(new TableColumn("GMACs").RightAligned())
            .AddColumn(new TableColumn("Latency (ms)").RightAligned());
        foreach (FitResult result in results)
        {
            if (result.Chosen is not { } c)
            {
                table.AddRow(result.Family, "–", "nothing fits", "", "", "", "");
                continue;
            }

            table.AddRow(
                result.Family,
                Invariant($"{c.Phi:0.0}"),
                Markup.Escape(c.Spec.Name),
                Invariant($"{c.Spec.Resolution} px"),
                Invariant($"{c.Analysis.Parameters:N0}"),
                Invariant($"{c.Analysis.GigaMultiplyAccumulates:0.000}"),
                c.Measurement is { } m ? Invariant($"{m.LatencyMilliseconds:0.0}") : "–");
        }

        console.Write(table);
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
