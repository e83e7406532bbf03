namespace EfficientNet.Sharp.Devices;

/// <summary>Measures how much the process's resident memory grows while some work runs (Linux; CPU tensors).</summary>
internal static class PeakMemory
{
    /// <summary>Runs <paramref name="work"/> and returns how far resident memory rose above its level before it.</summary>
    /// <param name="work">The work, for example one forward pass.</param>
    /// <returns>Bytes, or <see langword="null"/> where the operating system does not tell (anything but Linux).</returns>
    public static long? Measure(Action work)
    {
        ArgumentNullException.ThrowIfNull(work);
        long? baseline = ProcessMemory.BeginPeakWindow();
        work();
        return ProcessMemory.EndPeakWindow(baseline);
    }
}
