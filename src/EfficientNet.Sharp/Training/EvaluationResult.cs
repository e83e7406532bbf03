namespace EfficientNet.Sharp.Training;

/// <summary>A network's accuracy on a labelled dataset, with its confusion matrix.</summary>
public sealed class EvaluationResult
{
    internal EvaluationResult(IReadOnlyList<string> classNames, long[][] confusion, double loss)
    {
        ClassNames = classNames;
        Confusion = confusion;
        Loss = loss;
        Count = confusion.Sum(row => row.Sum());
        Correct = Enumerable.Range(0, confusion.Length).Sum(i => confusion[i][i]);
    }

    /// <summary>The class names, in label order.</summary>
    public IReadOnlyList<string> ClassNames { get; }

    /// <summary>Images evaluated.</summary>
    public long Count { get; }

    /// <summary>Images whose top-1 class was right.</summary>
    public long Correct { get; }

    /// <summary>Top-1 accuracy, in [0, 1].</summary>
    public double Accuracy => Count == 0 ? 0 : (double)Correct / Count;

    /// <summary>Mean cross-entropy (without label smoothing).</summary>
    public double Loss { get; }

    /// <summary><c>Confusion[true][predicted]</c>: how many images of each class went to each class.</summary>
    public IReadOnlyList<IReadOnlyList<long>> Confusion { get; }

    /// <summary>Per class: the share of its images classified right (NaN for a class with no images).</summary>
    public IReadOnlyList<double> ClassAccuracy => Enumerable.Range(0, ClassNames.Count)
        .Select(i => Confusion[i].Sum() is long total and > 0 ? (double)Confusion[i][i] / total : double.NaN).ToArray();

    /// <summary>The most frequent mistakes, largest first: (true class, predicted class, images).</summary>
    /// <param name="count">How many to return at most.</param>
    public IReadOnlyList<(int Actual, int Predicted, long Images)> MostConfused(int count) =>
        Enumerable.Range(0, ClassNames.Count)
            .SelectMany(actual => Enumerable.Range(0, ClassNames.Count).Where(predicted => predicted != actual && Confusion[actual][predicted] > 0)
                .Select(predicted => (actual, predicted, Confusion[actual][predicted])))
            .OrderByDescending(entry => entry.Item3).ThenBy(entry => entry.actual).ThenBy(entry => entry.predicted)
            .Take(Math.Max(count, 0)).ToArray();
}
