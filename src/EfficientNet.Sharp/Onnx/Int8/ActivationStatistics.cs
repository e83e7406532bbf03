namespace EfficientNet.Sharp.Onnx.Int8;

/// <summary>
/// What calibration saw of one activation: its extremes (first pass), then a histogram of its values between them and
/// one of its magnitudes (second pass), from which each calibration method chooses the range the 8-bit grid covers.
/// </summary>
internal sealed class ActivationStatistics
{
    /// <summary>Histogram bins: fine enough that a bin is well below one step of a 256-level grid.</summary>
    public const int Bins = 2048;

    /// <summary>The percentile method's coverage: the range holds this fraction of the values, on each side.</summary>
    public const double PercentileCoverage = 0.9999;

    private readonly long[] values = new long[Bins];
    private readonly long[] magnitudes = new long[Bins];

    public float Min { get; private set; } = float.PositiveInfinity;

    public float Max { get; private set; } = float.NegativeInfinity;

    private float Largest => Math.Max(Math.Abs(Min), Math.Abs(Max));

    public void ObserveExtremes(ReadOnlySpan<float> data)
    {
        float min = Min, max = Max;
        foreach (float value in data)
        {
            if (!float.IsFinite(value))
            {
                throw new InvalidDataException($"Calibration met a {value} activation: the float network does not compute finite values on these images, so no 8-bit range fits.");
            }

            min = Math.Min(min, value);
            max = Math.Max(max, value);
        }

        (Min, Max) = (min, max);
    }

    public void ObserveHistogram(ReadOnlySpan<float> data)
    {
        float width = Math.Max(Max - Min, float.Epsilon), largest = Math.Max(Largest, float.Epsilon);
        foreach (float value in data)
        {
            values[Math.Clamp((int)((value - Min) / width * Bins), 0, Bins - 1)]++;
            magnitudes[Math.Clamp((int)(Math.Abs(value) / largest * Bins), 0, Bins - 1)]++;
        }
    }

    /// <summary>The range the 8-bit grid covers under <paramref name="method"/>.</summary>
    public (float Low, float High) Range(CalibrationMethod method) => method switch
    {
        CalibrationMethod.MinMax => (Min, Max),
        CalibrationMethod.Percentile => Percentiles(),
        CalibrationMethod.Entropy => EntropyRange(),
        _ => throw new ArgumentOutOfRangeException(nameof(method), method, "Unknown calibration method."),
    };

    private (float Low, float High) Percentiles()
    {
        long total = values.Sum();
        long tail = (long)Math.Floor(total * (1 - PercentileCoverage));
        float width = (Max - Min) / Bins;
        int low = 0, high = Bins - 1;
        for (long seen = values[0]; seen <= tail && low < Bins - 1; seen += values[++low])
        {
        }

        for (long seen = values[Bins - 1]; seen <= tail && high > 0; seen += values[--high])
        {
        }

        return (Min + (low * width), Min + ((high + 1) * width));
    }

    /// <summary>
    /// The magnitude threshold T whose 8-bit grid loses the least information, as TensorRT's entropy calibration
    /// chooses it: for each candidate T, the histogram clipped at T (outliers added to the last bin) is compared with
    /// its own quantization to the grid's levels by Kullback–Leibler divergence, and the smallest divergence wins. The
    /// range is then [max(min, −T), min(max, T)].
    /// </summary>
    private (float Low, float High) EntropyRange()
    {
        // Exact zeros (ReLU's negative side, padding) pile up in the first bin; left in, the spike decides the divergence
        // alone and always favours the narrowest grid. As NVIDIA's entropy calibrator does, it counts as its neighbour.
        long[] histogram = (long[])magnitudes.Clone();
        histogram[0] = histogram[1];
        int levels = Min >= 0 ? 256 : 128;
        int best = Bins;
        double bestDivergence = double.PositiveInfinity;
        for (int threshold = levels; threshold <= Bins; threshold += 8)
        {
            double divergence = Divergence(histogram, threshold, levels);
            if (divergence < bestDivergence)
            {
                (bestDivergence, best) = (divergence, threshold);
            }
        }

        float t = best * Largest / Bins;
        return (Math.Max(Min, -t), Math.Min(Max, t));
    }

    private static double Divergence(long[] histogram, int threshold, int levels)
    {
        double[] reference = new double[threshold];
        for (int i = 0; i < threshold; i++)
        {
            reference[i] = histogram[i];
        }

        for (int i = threshold; i < Bins; i++)
        {
            reference[threshold - 1] += histogram[i];
        }

        // The candidate: each of the grid's levels spreads its merged count evenly over its non-empty source bins.
        double[] candidate = new double[threshold];
        double binsPerLevel = threshold / (double)levels;
        for (int level = 0; level < levels; level++)
        {
            int start = (int)(level * binsPerLevel), end = level == levels - 1 ? threshold : (int)((level + 1) * binsPerLevel);
            double sum = 0;
            int nonEmpty = 0;
            for (int i = start; i < end; i++)
            {
                sum += histogram[i];
                nonEmpty += histogram[i] > 0 ? 1 : 0;
            }

            for (int i = start; i < end && nonEmpty > 0; i++)
            {
                candidate[i] = histogram[i] > 0 ? sum / nonEmpty : 0;
            }
        }

        double referenceTotal = reference.Sum(), candidateTotal = candidate.Sum();
        if (referenceTotal == 0 || candidateTotal == 0)
        {
            return double.PositiveInfinity;
        }

        double divergence = 0;
        for (int i = 0; i < threshold; i++)
        {
            if (reference[i] > 0)
            {
                double p = reference[i] / referenceTotal;

                // A bin the candidate leaves empty but the reference fills (the clipped outliers) costs as if nearly empty.
                double q = Math.Max(candidate[i] / candidateTotal, 1e-12);
                divergence += p * Math.Log(p / q);
            }
        }

        return divergence;
    }
}
