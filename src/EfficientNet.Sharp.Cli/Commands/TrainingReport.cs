using System.Globalization;
using EfficientNet.Sharp.Training;
using Spectre.Console;

namespace EfficientNet.Sharp.Cli.Commands;

/// <summary>
/// Shows a training run: a progress bar for the current epoch (on an interactive terminal) and one table row per
/// finished epoch (everywhere, so logs keep them).
/// </summary>
internal sealed class TrainingReport(IAnsiConsole console)
{
    private const string RowFormat = "{0,5}  {1,10}  {2,9}  {3,10}  {4,9}  {5,9}  {6,8}  {7,7}  {8}";

    public void WriteHeader() =>
        console.WriteLine(string.Format(CultureInfo.InvariantCulture, RowFormat, "epoch", "train loss", "train acc", "valid loss", "valid acc", "lr", "img/s", "time", ""));

    public TrainingResult Run(Func<IProgress<TrainingProgress>, TrainingResult> train)
    {
        if (!console.Profile.Capabilities.Interactive)
        {
            return train(new Reporter(this, null));
        }

        TrainingResult? result = null;
        console.Progress()
            .AutoClear(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .Start(context =>
            {
                ProgressTask task = context.AddTask("epoch 1");
                result = train(new Reporter(this, task));
            });
        return result!;
    }

    private void WriteRow(EpochResult epoch) =>
        console.WriteLine(string.Format(
            CultureInfo.InvariantCulture,
            RowFormat,
            epoch.Epoch,
            epoch.TrainLoss.ToString("0.0000", CultureInfo.InvariantCulture),
            (epoch.TrainAccuracy * 100).ToString("0.00", CultureInfo.InvariantCulture) + "%",
            epoch.Validation is { } v ? v.Loss.ToString("0.0000", CultureInfo.InvariantCulture) : "-",
            epoch.Validation is { } w ? (w.Accuracy * 100).ToString("0.00", CultureInfo.InvariantCulture) + "%" : "-",
            epoch.LearningRate.ToString("0.00e+0", CultureInfo.InvariantCulture),
            epoch.ImagesPerSecond.ToString("0", CultureInfo.InvariantCulture),
            epoch.Duration.TotalSeconds.ToString("0", CultureInfo.InvariantCulture) + " s",
            (epoch.IsBest ? "best" : "") + (epoch.FrozenStages > 0 ? $" (frozen {epoch.FrozenStages})" : "")));

    private sealed class Reporter(TrainingReport report, ProgressTask? task) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value)
        {
            if (value.Phase == TrainingPhase.EpochCompleted && value.Epoch is { } epoch)
            {
                report.WriteRow(epoch);
                return;
            }

            if (task is null)
            {
                return;
            }

            task.MaxValue = value.Steps;
            task.Value = value.Step;
            task.Description = value.Phase == TrainingPhase.Validating
                ? string.Create(CultureInfo.InvariantCulture, $"epoch {value.EpochNumber}/{value.Epochs} validating")
                : string.Create(CultureInfo.InvariantCulture, $"epoch {value.EpochNumber}/{value.Epochs} loss {value.Loss:0.000} acc {value.Accuracy * 100:0.0}% {value.ImagesPerSecond:0} img/s");
        }
    }
}
