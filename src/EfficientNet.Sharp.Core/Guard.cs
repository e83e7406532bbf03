namespace EfficientNet.Sharp;

/// <summary>Argument checks shared by builders and blocks; every message names the argument and its allowed range.</summary>
internal static class Guard
{
    public static void PositiveFinite(double value, string name)
    {
        if (!double.IsFinite(value) || value <= 0)
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be a finite number greater than 0.");
        }
    }

    /// <summary>A positive value that stays finite in float32, where the optimizer applies it (above about 3.4e38 it becomes infinity).</summary>
    public static void PositiveSingle(double value, string name)
    {
        if (!double.IsFinite(value) || value <= 0 || value > float.MaxValue)
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be a number greater than 0 and at most {float.MaxValue:G3} (float32's largest).");
        }
    }

    /// <summary>A probability in [0, 1): dropout, stochastic depth rate.</summary>
    public static void Probability(double value, string name)
    {
        if (!(value is >= 0 and < 1))
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be a probability in [0, 1).");
        }
    }

    /// <summary>A fraction in [0, 1]: squeeze ratio, a block's stochastic-depth probability.</summary>
    public static void UnitInterval(double value, string name)
    {
        if (!(value is >= 0 and <= 1))
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be in [0, 1].");
        }
    }

    public static void Stride(int stride, string name)
    {
        if (stride is not (1 or 2))
        {
            throw new ArgumentOutOfRangeException(name, stride, $"{name} must be 1 or 2.");
        }
    }

    public static void ExpandRatio(double ratio, string name)
    {
        if (!double.IsFinite(ratio) || ratio < 1)
        {
            throw new ArgumentOutOfRangeException(name, ratio, $"{name} must be a finite number ≥ 1.");
        }
    }

    public static void MinimumResolution(int pixels, int minimum, string name)
    {
        if (pixels < minimum)
        {
            throw new ArgumentOutOfRangeException(name, pixels, $"{name} must be at least {minimum} pixels: the network's strides divide the input by {minimum}.");
        }
    }
}
