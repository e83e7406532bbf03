using System.Diagnostics;
using System.Globalization;
using EfficientNet.Sharp.Cli.Errors;
using EfficientNet.Sharp.OnnxRuntime;

namespace EfficientNet.Sharp.Cli.Commands;

/// <summary>
/// Progress on stderr: a line rewritten in place on a terminal, a line every tenth of the work planned otherwise. The
/// plan grows once the channel multiple is known (an int8 profile probes it with a few hundred timings before the
/// suite's thousands): when the share done falls back below the last tenth shown, the tenths count again from there
/// (before, an int8 profile showed nothing between the probe's 90 % and the end).
/// </summary>
internal sealed class ProfileProgress(Diagnostics diagnostics, Stopwatch clock) : IProgress<ProfilingProgress>
{
    private int lastTenth = -1;

    /// <inheritdoc />
    public void Report(ProfilingProgress value)
    {
        ArgumentNullException.ThrowIfNull(value);
        int percent = value.Total == 0 ? 100 : 100 * value.Done / value.Total;
        if (percent / 10 < lastTenth)
        {
            lastTenth = (percent / 10) - 1;
        }

        string line = string.Create(CultureInfo.InvariantCulture, $"profiling: {value.Done}/{value.Total} timings ({percent}%, {clock.Elapsed:m\\:ss}): {value.Step}");
        if (diagnostics.IsTerminal)
        {
            diagnostics.Progress(line);
        }
        else if (percent / 10 > lastTenth)
        {
            lastTenth = percent / 10;
            diagnostics.Note(line);
        }
    }
}
