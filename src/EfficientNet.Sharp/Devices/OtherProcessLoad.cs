using System.Globalization;

namespace EfficientNet.Sharp.Devices;

/// <summary>
/// How much of the machine other processes took while a measurement ran, on Linux: the CPU time the whole machine
/// spent busy (user, system, interrupts, and a virtual machine's steal, which is its neighbours' share) minus this
/// process's own, from <c>/proc/stat</c> and <c>/proc/self/stat</c>. A latency measured while others ran says little
/// about the quiet device, so the fit reports it. Elsewhere nothing is read and the load is unknown.
/// </summary>
internal readonly record struct OtherProcessLoad(long BusyTicks, long TotalTicks, long OwnTicks, int Cores)
{
    /// <summary>The counters now, or <see langword="null"/> where they cannot be read.</summary>
    public static OtherProcessLoad? Sample()
    {
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }

        try
        {
            // "cpu  user nice system idle iowait irq softirq steal guest guest_nice" (guest time is inside user).
            string[] stat = File.ReadAllLines("/proc/stat");
            long[] cpu = [.. stat[0].Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Take(8).Select(Ticks)];
            int cores = stat.Count(line => line.StartsWith("cpu", StringComparison.Ordinal) && line.Length > 3 && char.IsAsciiDigit(line[3]));
            long busy = cpu[0] + cpu[1] + cpu[2] + cpu[5] + cpu[6] + cpu[7];
            long total = cpu.Sum();

            // The command name in field 2 may hold spaces; utime and stime are the 12th and 13th fields after it.
            string self = File.ReadAllText("/proc/self/stat");
            string[] afterName = self[(self.LastIndexOf(')') + 2)..].Split(' ');
            long own = Ticks(afterName[11]) + Ticks(afterName[12]);
            return new OtherProcessLoad(busy, total, own, Math.Max(1, cores));
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException or InvalidOperationException)
        {
            return null;
        }
    }

    /// <summary>
    /// The average number of CPU cores other processes kept busy between two samples, or <see langword="null"/> when
    /// no time passed or either sample is missing.
    /// </summary>
    public static double? CoresBetween(OtherProcessLoad? start, OtherProcessLoad? end)
    {
        if (start is not { } a || end is not { } b || b.TotalTicks <= a.TotalTicks)
        {
            return null;
        }

        double elapsedPerCore = (b.TotalTicks - a.TotalTicks) / (double)b.Cores;
        double others = (b.BusyTicks - a.BusyTicks) - (b.OwnTicks - a.OwnTicks);
        return Math.Max(0, others / elapsedPerCore);
    }

    private static long Ticks(string field) => long.Parse(field, NumberStyles.None, CultureInfo.InvariantCulture);
}
