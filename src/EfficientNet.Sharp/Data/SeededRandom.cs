namespace EfficientNet.Sharp.Data;

/// <summary>
/// Random generators derived from a seed and positions (epoch, item), the same on every run and machine and
/// independent of thread scheduling: that is what makes a resumed training run retrace an uninterrupted one.
/// </summary>
internal static class SeededRandom
{
    /// <summary>A generator for one (seed, stream, item) triple; SplitMix64 spreads nearby inputs apart.</summary>
    public static Random For(int seed, int stream, int item)
    {
        ulong z = unchecked(((ulong)(uint)seed * 0x9E3779B97F4A7C15UL) ^ ((ulong)(uint)stream << 32) ^ (uint)item);
        z = unchecked((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL);
        z = unchecked((z ^ (z >> 27)) * 0x94D049BB133111EBUL);
        z ^= z >> 31;
        return new Random(unchecked((int)z ^ (int)(z >> 32)));
    }
}
