using System.Runtime.ExceptionServices;

namespace EfficientNet.Sharp;

/// <summary>
/// <see cref="Parallel.For(int, int, Action{int})"/> that throws the first failure itself (a missing file, a damaged
/// image) instead of an <see cref="AggregateException"/>, so callers and the tool's error contract see what went wrong.
/// </summary>
internal static class Parallelism
{
    public static void For(int count, Action<int> body)
    {
        try
        {
            Parallel.For(0, count, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, body);
        }
        catch (AggregateException aggregate) when (aggregate.InnerExceptions.Count > 0)
        {
            ExceptionDispatchInfo.Capture(aggregate.InnerExceptions[0]).Throw();
            throw;
        }
    }
}
