namespace EfficientNet.Sharp.Tests;

/// <summary>Reports on the caller's thread, in order (<see cref="Progress{T}"/> posts to the thread pool, so a test could miss the last report).</summary>
internal sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
{
    public void Report(T value) => report(value);
}
