using System.Globalization;

namespace EfficientNet.Sharp.Inference;

/// <summary>Turns a classifier's scores into ranked <see cref="Prediction"/>s: the one softmax and top-k of the library.</summary>
public static class Predictions
{
    /// <summary>The softmax of each row of <paramref name="logits"/>, computed stably (the row's maximum subtracted first).</summary>
    /// <param name="logits">Rows of <paramref name="classes"/> scores, one after another.</param>
    /// <param name="classes">Scores per row (≥ 1).</param>
    /// <returns>The probabilities, row by row.</returns>
    /// <exception cref="ArgumentException">The scores do not fill whole rows.</exception>
    public static float[] Softmax(ReadOnlySpan<float> logits, int classes)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(classes);
        if (logits.Length % classes != 0)
        {
            throw new ArgumentException($"{logits.Length} scores do not make whole rows of {classes}.", nameof(logits));
        }

        float[] result = new float[logits.Length];
        for (int start = 0; start < logits.Length; start += classes)
        {
            ReadOnlySpan<float> row = logits.Slice(start, classes);
            float max = float.NegativeInfinity;
            foreach (float value in row)
            {
                max = Math.Max(max, value);
            }

            double sum = 0;
            for (int c = 0; c < classes; c++)
            {
                sum += result[start + c] = MathF.Exp(row[c] - max);
            }

            for (int c = 0; c < classes; c++)
            {
                result[start + c] = (float)(result[start + c] / sum);
            }
        }

        return result;
    }

    /// <summary>The <paramref name="topK"/> most probable classes of one row, most probable first (ties: lower index first).</summary>
    /// <param name="probabilities">One probability per class.</param>
    /// <param name="labels">Class names by index; an index without a name is labelled with its number.</param>
    /// <param name="topK">How many to return (≥ 1; at most the class count are).</param>
    /// <returns>The predictions.</returns>
    public static IReadOnlyList<Prediction> Top(ReadOnlySpan<float> probabilities, IReadOnlyList<string> labels, int topK)
    {
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(topK);
        int k = Math.Min(topK, probabilities.Length);
        var best = new List<(int Index, float Probability)>(k + 1);
        for (int c = 0; c < probabilities.Length; c++)
        {
            float p = probabilities[c];
            if (best.Count == k && !(p > best[^1].Probability))
            {
                continue;
            }

            int at = best.FindIndex(entry => p > entry.Probability);
            best.Insert(at < 0 ? best.Count : at, (c, p));
            if (best.Count > k)
            {
                best.RemoveAt(best.Count - 1);
            }
        }

        return [.. best.Select(entry => new Prediction(entry.Index, entry.Index < labels.Count ? labels[entry.Index] : entry.Index.ToString(CultureInfo.InvariantCulture), entry.Probability))];
    }
}
