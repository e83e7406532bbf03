using System.Diagnostics;
using System.Globalization;
using EfficientNet.Sharp.Data;
using EfficientNet.Sharp.Models;
using EfficientNet.Sharp.TfLite;
using EfficientNet.Sharp.Training;

namespace EfficientNet.Sharp.Benchmarks;

/// <summary>
/// Fine-tuning real ImageNet-trained weights against training from scratch on the same budget: Coral's
/// MobileNetV1 0.5 (a TFLite file, imported with its TF "SAME" padding) with a new 10-class classifier, and the
/// same architecture with fresh weights, each trained with the same recipe on a Fashion-MNIST sample and tested
/// on the whole test split (docs/scaling-experiment.md). The imported network trains with BatchNorm in eval mode
/// (its statistics are folded into the weights); the fresh one with ordinary BatchNorm.
/// </summary>
internal static class TransferExperiment
{
    public static void Run(string tfLitePath, string[] args)
    {
        int trainImages = CommandArguments.Integer(args, "--train-images", 5_000);
        int epochs = CommandArguments.Integer(args, "--epochs", 3);
        int resolution = CommandArguments.Integer(args, "--resolution", 64);
        ImageDataset train = FashionMnist.LoadTrain().Sample(trainImages, 0);
        IdxDataset test = FashionMnist.LoadTest();
        Console.WriteLine($"{Path.GetFileName(tfLitePath)} on {train.Count:N0} Fashion-MNIST images at {resolution} px, {epochs} epochs, batch 64, SGD; test: {test.Count:N0} images");
        Console.WriteLine("| start | peak learning rate | train s | test accuracy |");
        Console.WriteLine("|---|---|---|---|");
        foreach (double learningRate in new[] { 0.01, 0.1 })
        {
            foreach (bool pretrained in new[] { true, false })
            {
                using TfLiteModel imported = TfLiteImport.Load(tfLitePath);
                using ConvNetwork fresh = new(imported.Spec);
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
                    FreezeBatchNorm = pretrained,
                };
                using var trainer = new Trainer(network, options);
                var clock = Stopwatch.StartNew();
                trainer.Train(train);
                double seconds = clock.Elapsed.TotalSeconds;
                double accuracy = Evaluator.Evaluate(network, test, trainer.EvaluationTransform, 256).Accuracy;
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {(pretrained ? "ImageNet weights (TFLite)" : "from scratch")} | {learningRate} | {seconds:0} | {accuracy * 100:0.00}% |"));
            }
        }
    }

}
