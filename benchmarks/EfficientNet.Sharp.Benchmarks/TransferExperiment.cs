using System.Diagnostics;
using System.Globalization;
using EfficientNet.Sharp.Data;
using EfficientNet.Sharp.Models;
using EfficientNet.Sharp.Specs;
using EfficientNet.Sharp.TfLite;
using EfficientNet.Sharp.Training;

namespace EfficientNet.Sharp.Benchmarks;

/// <summary>
/// Fine-tuning real ImageNet-trained weights against training from scratch on the same budget: Coral's
/// MobileNetV1 0.5 (a TFLite file, imported with its TF "SAME" padding) with a new 10-class classifier, and the
/// same architecture with fresh weights, each trained with the same recipe on a Fashion-MNIST sample and tested
/// on the whole test split (docs/scaling-experiment.md). The imported network keeps its feature extractor frozen and
/// trains its new classifier; the fresh one trains everything with ordinary BatchNorm.
/// </summary>
internal static class TransferExperiment
{
    private enum Start
    {
        Pretrained,
        Scratch,
        ScratchFastStatistics,
    }

    public static void Run(string tfLitePath, string[] args)
    {
        int trainImages = CommandArguments.Integer(args, "--train-images", 5_000);
        int epochs = CommandArguments.Integer(args, "--epochs", 3);
        int resolution = CommandArguments.Integer(args, "--resolution", 64);
        ImageDataset train = FashionMnist.LoadTrain().Sample(trainImages, 0);
        ImageDataset test = FashionMnist.LoadTest();
        Console.WriteLine($"{Path.GetFileName(tfLitePath)} on {train.Count:N0} Fashion-MNIST images at {resolution} px, {epochs} epochs, batch 64, SGD; test: {test.Count:N0} images");
        Console.WriteLine("| start | peak learning rate | train s | test accuracy |");
        Console.WriteLine("|---|---|---|---|");
        foreach (double learningRate in new[] { 0.01, 0.1 })
        {
            foreach (Start start in Enum.GetValues<Start>())
            {
                Console.WriteLine(Train(tfLitePath, start, learningRate, train, test, epochs, resolution));
            }
        }
    }

    private static string Train(string tfLitePath, Start start, double learningRate, ImageDataset train, ImageDataset test, int epochs, int resolution)
    {
        using TfLiteModel imported = TfLiteImport.Load(tfLitePath);

        // The file's BatchNorm momentum is TensorFlow's (0.01 in PyTorch's terms): running statistics that lag far
        // behind in a short run. The third start uses PyTorch's usual 0.1.
        NetworkSpec freshSpec = start == Start.ScratchFastStatistics ? imported.Spec with { BatchNorm = imported.Spec.BatchNorm with { Momentum = 0.1 } } : imported.Spec;
        using ConvNetwork fresh = new(freshSpec);
        bool pretrained = start == Start.Pretrained;
        ConvNetwork network = pretrained ? imported.Network : fresh;
        network.ResetClassifier(10);
        var options = new TrainingOptions
        {
            Epochs = epochs,
            BatchSize = 64,
            LearningRate = learningRate,
            WarmupEpochs = 0.5,
            Resolution = resolution,
            Mean = imported.Transform.Mean,
            Std = imported.Transform.Std,

            // The file's BatchNorm is folded into its convolutions: batch statistics would replace that identity.
            // Its feature extractor stays frozen (only the new classifier learns): unfrozen, it diverged here at a
            // learning rate of 0.01 with BatchNorm frozen (docs/scaling-experiment.md).
            FreezeBatchNorm = pretrained,
            FreezeStages = pretrained ? network.FeatureInfo.Count : 0,
        };
        using var trainer = new Trainer(network, options);
        var clock = Stopwatch.StartNew();
        trainer.Train(train);
        double seconds = clock.Elapsed.TotalSeconds;
        double accuracy = Evaluator.Evaluate(network, test, trainer.EvaluationTransform, 256).Accuracy;
        string name = start switch
        {
            Start.Pretrained => "ImageNet features (TFLite), classifier trained",
            Start.Scratch => "from scratch, everything trained",
            Start.ScratchFastStatistics => "from scratch, BatchNorm momentum 0.1",
            _ => throw new ArgumentOutOfRangeException(nameof(start), start, "Unknown start."),
        };
        return string.Create(CultureInfo.InvariantCulture, $"| {name} | {learningRate} | {seconds:0} | {accuracy * 100:0.00}% |");
    }
}
