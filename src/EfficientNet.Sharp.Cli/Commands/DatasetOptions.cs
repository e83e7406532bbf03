using System.ComponentModel;
using EfficientNet.Sharp.Cli.Limits;
using EfficientNet.Sharp.Data;
using Spectre.Console;
using Spectre.Console.Cli;

namespace EfficientNet.Sharp.Cli.Commands;

/// <summary>The options that choose a labelled dataset; shared by <c>effnet train</c> and <c>effnet evaluate</c>.</summary>
internal interface IDatasetOptions
{
    string? Data { get; }

    FlagValue<string>? FashionMnist { get; }
}

/// <summary>A dataset's splits as the commands use them.</summary>
/// <param name="Train">Training images (null when only evaluating).</param>
/// <param name="Validation">Images to choose the best epoch by; null when there are none.</param>
/// <param name="Test">Images of the final accuracy: the test split, else the validation images.</param>
/// <param name="TestName">"test" or "validation": which split <paramref name="Test"/> is.</param>
/// <param name="DefaultAugmentation">The augmentation that suits the images.</param>
internal sealed record DatasetSplits(ImageDataset? Train, ImageDataset? Validation, ImageDataset Test, string TestName, Augmentation DefaultAugmentation);

/// <summary>Reads the dataset that <see cref="IDatasetOptions"/> names.</summary>
internal static class DatasetLoader
{
    public const string DataDescription = "An image folder: one sub-folder per class, or train/ and val/ (and test/) folders that each hold one sub-folder per class.";
    public const string FashionMnistDescription = "Fashion-MNIST's IDX files (default /usr/share/datasets/fashion-mnist, from Debian's dataset-fashion-mnist).";

    /// <summary>Images held out of Fashion-MNIST's training split to choose the best epoch by (the test split is only for the final line).</summary>
    public const int FashionMnistValidationImages = 5_000;

    public static ValidationResult Validate(IDatasetOptions options) =>
        (options.Data is null) == (options.FashionMnist is not { IsSet: true })
            ? ValidationResult.Error("Give one of --data DIR or --fashion-mnist [DIR].")
            : ValidationResult.Success();

    /// <summary>Loads the splits; for training, <paramref name="trainImages"/> caps the training images (a seeded sample).</summary>
    public static DatasetSplits Load(IDatasetOptions options, bool forTraining, int? trainImages, int seed)
    {
        DatasetSplits splits = LoadSplits(options, forTraining, trainImages, seed);
        if (splits.Test.Count == 0)
        {
            throw new InvalidDataException($"'{splits.Test.Source}' has no {splits.TestName} images: an accuracy over none would mean nothing.");
        }

        return splits;
    }

    private static DatasetSplits LoadSplits(IDatasetOptions options, bool forTraining, int? trainImages, int seed)
    {
        if (options.FashionMnist is { IsSet: true } fashion)
        {
            string folder = string.IsNullOrWhiteSpace(fashion.Value) ? Data.FashionMnist.DefaultFolder : fashion.Value;
            IdxDataset test = Data.FashionMnist.LoadTest(folder);
            if (!forTraining)
            {
                return new DatasetSplits(null, null, test, "test", Augmentation.PadAndCrop);
            }

            IdxDataset all = Data.FashionMnist.LoadTrain(folder);
            if (all.Count <= FashionMnistValidationImages)
            {
                throw new InvalidDataException($"'{all.Source}' has {all.Count:N0} training images, and the first {FashionMnistValidationImages:N0} (in a seeded order) are held out to choose the best epoch by, so none are left to train on.");
            }

            int[] order = Enumerable.Range(0, all.Count).ToArray();
            new Random(seed).Shuffle(order);
            ImageDataset validation = all.Subset(order.Take(FashionMnistValidationImages));
            ImageDataset train = all.Subset(order.Skip(FashionMnistValidationImages).Take(trainImages ?? int.MaxValue));
            return new DatasetSplits(train, validation, test, "test", Augmentation.PadAndCrop);
        }

        string root = options.Data!;
        string? trainFolder = Existing(root, "train");
        if (trainFolder is null)
        {
            ImageFolderDataset only = ImageFolderDataset.Load(root);
            return new DatasetSplits(forTraining ? Cap(only, trainImages, seed) : null, null, only, forTraining ? "training" : "all", Augmentation.RandomResizedCrop);
        }

        ImageFolderDataset trainSet = ImageFolderDataset.Load(trainFolder);
        ImageFolderDataset? validationSet = (Existing(root, "val") ?? Existing(root, "validation")) is { } v ? ImageFolderDataset.Load(v, trainSet.ClassNames) : null;
        ImageFolderDataset? testSet = Existing(root, "test") is { } t ? ImageFolderDataset.Load(t, trainSet.ClassNames) : null;
        ImageDataset final = testSet ?? validationSet ?? throw new InvalidDataException($"'{root}' has train/ but neither val/ nor test/ to measure accuracy on.");
        return new DatasetSplits(forTraining ? Cap(trainSet, trainImages, seed) : null, validationSet, final, testSet is null ? "validation" : "test", Augmentation.RandomResizedCrop);
    }

    private static ImageDataset Cap(ImageDataset dataset, int? images, int seed) =>
        images is int count && count < dataset.Count ? dataset.Sample(count, seed) : dataset;

    private static string? Existing(string root, string name) =>
        Directory.Exists(Path.Combine(root, name)) ? Path.Combine(root, name) : null;
}

/// <summary>Options of commands that read a labelled dataset.</summary>
internal class DatasetSettings : NetworkOptions, IDatasetOptions
{
    [CommandOption("--data <DIR>")]
    [Description(DatasetLoader.DataDescription)]
    public string? Data { get; init; }

    [CommandOption("--fashion-mnist [DIR]")]
    [Description(DatasetLoader.FashionMnistDescription)]
    public FlagValue<string>? FashionMnist { get; init; }

    [CommandOption("--batch <SIZE>")]
    [Description("Images per step (default 64).")]
    public int Batch { get; init; } = 64;

    [CommandOption("--threads <COUNT>")]
    [Description("CPU threads for libtorch (default: all cores).")]
    public int? Threads { get; init; }

    /// <inheritdoc />
    public override ValidationResult Validate()
    {
        ValidationResult network = base.Validate();
        if (!network.Successful)
        {
            return network;
        }

        ValidationResult data = DatasetLoader.Validate(this);
        return !data.Successful ? data
            : Batch < 1 ? ValidationResult.Error("--batch must be at least 1.")
            : ThreadLimit.Problem(Threads) is { } threads ? ValidationResult.Error(threads)
            : ValidationResult.Success();
    }
}
