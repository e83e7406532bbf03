using System.Text.Json;
using EfficientNet.Sharp.Data;
using EfficientNet.Sharp.Models;
using EfficientNet.Sharp.Scaling;
using EfficientNet.Sharp.Training;
using EfficientNet.Sharp.Weights;
using TorchSharp;
using static TorchSharp.torch;

namespace EfficientNet.Sharp.Tests.Training;

/// <summary>The trainer on real Fashion-MNIST and on small generated image folders.</summary>
/// <remarks>Training reseeds libtorch's global generator, so these tests do not run beside others.</remarks>
[NonParallelizable]
public class TrainerTests
{
    private static readonly string[] Colours = ["blue", "green", "red"];

    [Test]
    public void OneEpochOnTwoThousandFashionMnistImages_LowersTheLoss_AndBeatsChance()
    {
        string folder = TestData.FashionMnistFolder();
        ImageDataset train = FashionMnist.LoadTrain(folder).Sample(2_000, seed: 1);
        ImageDataset test = FashionMnist.LoadTest(folder).Sample(1_000, seed: 2);
        // MobileNetV1 at width 0.25 (216 k parameters) at the images' own 28 pixels: a few seconds here. (A tiny
        // EfficientNet learns more slowly in so few steps: stochastic depth, dropout and squeeze-and-excitation.)
        torch.manual_seed(0);
        using var network = new ConvNetwork(new MobileNetV1Builder().WithWidth(0.25).WithNumClasses(10).BuildSpec());
        var options = new TrainingOptions { Epochs = 1, BatchSize = 16, LearningRate = 0.1, WarmupEpochs = 0.1, LabelSmoothing = 0, Augmentation = Augmentation.None, Resolution = 28 };
        using var trainer = new Trainer(network, options);
        var losses = new List<double>();
        var recorder = new SynchronousProgress<TrainingProgress>(report =>
        {
            if (report.Phase == TrainingPhase.Training)
            {
                // The running mean after the first 5 steps, and after all of them.
                if (report.Step == 5 || report.Step == report.Steps)
                {
                    losses.Add(report.Loss);
                }
            }
        });

        TrainingResult result = trainer.Train(train, test, progress: recorder);

        Assert.That(losses, Has.Count.EqualTo(2));
        Assert.That(losses[1], Is.LessThan(losses[0] - 0.2), "the epoch's mean loss is well below that of its first steps");

        // Chance is 10 %; with 1,000 test images, 20 % is more than ten standard deviations above it.
        double accuracy = result.Epochs[0].Validation!.Accuracy;
        TestContext.Out.WriteLine($"accuracy after one epoch: {accuracy:P1}; mean loss {losses[0]:0.000} → {losses[1]:0.000}");
        Assert.That(accuracy, Is.GreaterThan(0.2));
    }

    [TestCase(OptimizerKind.Sgd, null)]
    [TestCase(OptimizerKind.AdamW, 0.9)]
    public void ResumingFromAnEpochsCheckpoint_RetracesTheUninterruptedRun(OptimizerKind optimizer, double? ema)
    {
        using var folder = new TempFolder();
        ImageDataset data = ColourSquares(folder, imagesPerClass: 12);
        var options = new TrainingOptions { Epochs = 3, BatchSize = 8, Optimizer = optimizer, EmaDecay = ema, Seed = 11, Resolution = 16, GradientClipNorm = 5 };

        using ConvNetwork straight = TinyNetwork();
        using ConvNetwork interrupted = TinyNetwork();
        interrupted.load_state_dict(straight.state_dict());
        using (var trainer = new Trainer(straight, options))
        {
            trainer.Train(data, data, folder.File("straight"));
        }

        // Two epochs, stop; then a new process would build a fresh network and resume for the third.
        using (var first = new Trainer(interrupted, options with { }))
        {
            var stopAfterTwo = new CancellationTokenSource();
            var progress = new SynchronousProgress<TrainingProgress>(report =>
            {
                if (report.Phase == TrainingPhase.EpochCompleted && report.EpochNumber == 2)
                {
                    stopAfterTwo.Cancel();
                }
            });
            Assert.That(() => first.Train(data, data, folder.File("interrupted"), progress, stopAfterTwo.Token), Throws.InstanceOf<OperationCanceledException>());
        }

        using ConvNetwork resumedNetwork = TinyNetwork();
        using (var resumed = new Trainer(resumedNetwork, options))
        {
            TrainingCheckpoint from = resumed.Resume(folder.File("interrupted/last.safetensors"));
            Assert.That(from.Epoch, Is.EqualTo(2));
            TrainingResult rest = resumed.Train(data, data, folder.File("interrupted"));
            Assert.That(rest.Epochs.Select(e => e.Epoch), Is.EqualTo(new[] { 3 }));
        }

        Dictionary<string, Tensor> expected = straight.state_dict();
        Dictionary<string, Tensor> actual = resumedNetwork.state_dict();
        string[] different = expected.Keys.Where(key => !expected[key].equal(actual[key]).all().item<bool>()).ToArray();
        Assert.That(different, Is.Empty, "bit-for-bit equal weights and statistics");
        using Checkpoint straightFile = Checkpoint.Read(folder.File("straight/last.safetensors"));
        using Checkpoint resumedFile = Checkpoint.Read(folder.File("interrupted/last.safetensors"));
        Assert.That(resumedFile.StateDict.Keys, Is.EquivalentTo(straightFile.StateDict.Keys));
        Assert.That(resumedFile.StateDict.All(pair => pair.Value.equal(straightFile.StateDict[pair.Key]).all().item<bool>()), Is.True, "the saved (averaged) model too");
    }

    [Test]
    public void Checkpoints_RoundTripThroughTheWeightLoader_AndRecordTheRun()
    {
        using var folder = new TempFolder();
        ImageDataset data = ColourSquares(folder, imagesPerClass: 6);
        using ConvNetwork network = TinyNetwork();
        var options = new TrainingOptions { Epochs = 2, BatchSize = 6, Seed = 4, Resolution = 16, EmaDecay = 0.5 };
        using var trainer = new Trainer(network, options);
        trainer.Metadata["caller.note"] = "kept";

        TrainingResult result = trainer.Train(data, data, folder.File("run"));

        TrainingCheckpoint info = TrainingCheckpoint.ReadInfo(result.LastCheckpoint!);
        Assert.That((info.Epoch, info.Seed, info.NetworkName), Is.EqualTo((2, 4, network.Spec.Name)));
        Assert.That(info.ClassNames, Is.EqualTo(Colours));
        Assert.That(info.ValidationAccuracy, Is.EqualTo(result.Epochs[1].Validation!.Accuracy));
        Assert.That(info.EvaluationTransform, Is.EqualTo(trainer.EvaluationTransform).Using<ImageTransform>((a, b) => a.Resolution == b.Resolution && a.Mean.SequenceEqual(b.Mean) && a.Std.SequenceEqual(b.Std) && a.Augmentation == b.Augmentation));
        Assert.That(info.Metadata["caller.note"], Is.EqualTo("kept"));
        Assert.That(File.Exists(result.BestCheckpoint), Is.True);

        // The plain entries are the validated (averaged) network: loaded strictly into a fresh one, it answers the same.
        using ConvNetwork reloaded = TinyNetwork();
        WeightLoadReport report = reloaded.LoadWeights(result.LastCheckpoint!);
        Assert.That(report.Notes, Has.Some.Contain("training checkpoint"));
        reloaded.eval();
        trainer.ValidatedNetwork.eval();
        using var noGrad = torch.no_grad();
        using Tensor input = torch.randn(2, 3, 16, 16);
        Assert.That(reloaded.call(input).equal(trainer.ValidatedNetwork.call(input)).all().item<bool>(), Is.True);

        // An ordinary safetensors file: the header is JSON with the format marker, the training state under training/.
        using FileStream stream = File.OpenRead(result.LastCheckpoint!);
        byte[] lengthBytes = new byte[8];
        stream.ReadExactly(lengthBytes);
        byte[] header = new byte[BitConverter.ToInt64(lengthBytes)];
        stream.ReadExactly(header);
        using JsonDocument json = JsonDocument.Parse(header);
        Assert.That(json.RootElement.GetProperty("__metadata__").GetProperty("format").GetString(), Is.EqualTo(TrainingCheckpoint.FormatName));
        Assert.That(json.RootElement.EnumerateObject().Select(p => p.Name), Has.Some.StartWith("training/optimizer/").And.Some.StartWith("training/live/"));
        Assert.That(Directory.GetFiles(folder.File("run")).Select(Path.GetFileName), Is.EquivalentTo(new[] { "best.safetensors", "last.safetensors" }), "no temporary files left");
    }

    [Test]
    public void FrozenStages_GetNoUpdate_UntilUnfrozen()
    {
        using var folder = new TempFolder();
        ImageDataset data = ColourSquares(folder, imagesPerClass: 8);
        using ConvNetwork network = TinyNetwork();
        Dictionary<string, Tensor> start = Snapshot(network);
        Dictionary<string, Tensor>? afterFirst = null;
        var options = new TrainingOptions { Epochs = 2, BatchSize = 8, Resolution = 16, WarmupEpochs = 0, FreezeStages = 2, UnfreezeAfterEpochs = 1 };
        using var trainer = new Trainer(network, options);
        var progress = new SynchronousProgress<TrainingProgress>(report =>
        {
            if (report.Phase == TrainingPhase.EpochCompleted && report.EpochNumber == 1)
            {
                afterFirst = Snapshot(network);
            }
        });

        TrainingResult result = trainer.Train(data, progress: progress);

        // Feature levels 0 and 1 end at features.1 and features.2 for this network: the stem and the first two stages.
        int frozenChildren = network.FeatureInfo[1].FeaturesChild + 1;
        string[] frozen = start.Keys.Where(key => FeaturesChild(key) is int child && child < frozenChildren).ToArray();
        string[] trained = start.Keys.Where(key => !frozen.Contains(key) && start[key].is_floating_point()).ToArray();
        Assert.That(frozen, Has.Some.Contain("running_mean"), "BatchNorm statistics are among the frozen tensors");
        Assert.That(frozen.Where(key => !Same(start[key], afterFirst![key])), Is.Empty, "no frozen tensor changed in epoch 1");
        Assert.That(trained.Count(key => !Same(start[key], afterFirst![key])), Is.GreaterThan(trained.Length / 2), "the rest trained");
        Assert.That(frozen.Where(key => start[key].is_floating_point()).All(key => !Same(afterFirst![key], network.state_dict()[key])), Is.True, "all of them trained in epoch 2");
        Assert.That(result.Epochs.Select(e => e.FrozenStages), Is.EqualTo(new[] { 2, 0 }));
    }

    [Test]
    public void FrozenBatchNorm_KeepsItsStatistics_ButLearnsItsScaleAndShift()
    {
        using var folder = new TempFolder();
        ImageDataset data = ColourSquares(folder, imagesPerClass: 8);
        using ConvNetwork network = TinyNetwork();
        // AdamW: solid-colour squares give BatchNorm near-zero variances, whose gradients (1/√ε) drove plain SGD at its
        // default rate to NaN weights, which every "changed" assertion below then passed (the trainer now stops on a NaN
        // loss); AdamW's steps are bounded by its learning rate whatever the gradient's size.
        var options = new TrainingOptions { Epochs = 1, BatchSize = 8, Resolution = 16, WarmupEpochs = 0, Optimizer = OptimizerKind.AdamW };

        // First an ordinary epoch, so that the statistics describe the data (fresh ones, 0 and 1, make BatchNorm
        // an identity under which this tiny network's signal fades).
        using (var warm = new Trainer(network, options))
        {
            warm.Train(data);
        }

        Dictionary<string, Tensor> start = Snapshot(network);
        using var trainer = new Trainer(network, options with { FreezeBatchNorm = true });
        trainer.Train(data);

        Dictionary<string, Tensor> end = network.state_dict();
        string[] statistics = start.Keys.Where(key => key.EndsWith("running_mean", StringComparison.Ordinal) || key.EndsWith("running_var", StringComparison.Ordinal)).ToArray();
        Assert.That(statistics, Has.Length.GreaterThan(10));
        Assert.That(statistics.Where(key => !Same(start[key], end[key])), Is.Empty);
        Assert.That(end.Values.All(tensor => !tensor.is_floating_point() || tensor.isfinite().all().item<bool>()), Is.True, "every weight is a number");
        Assert.That(Same(start["features.0.1.weight"], end["features.0.1.weight"]), Is.False, "the stem's BatchNorm scale trained");
        Assert.That(Same(start["features.0.1.bias"], end["features.0.1.bias"]), Is.False, "and its shift");
    }

    [Test]
    public void Cancellation_LeavesTheLastCompleteCheckpointIntact()
    {
        using var folder = new TempFolder();
        ImageDataset data = ColourSquares(folder, imagesPerClass: 8);
        using ConvNetwork network = TinyNetwork();
        using var trainer = new Trainer(network, new TrainingOptions { Epochs = 3, BatchSize = 4, Resolution = 16 });
        using var cancel = new CancellationTokenSource();
        var progress = new SynchronousProgress<TrainingProgress>(report =>
        {
            if (report.Phase == TrainingPhase.Training && report.EpochNumber == 2 && report.Step == 2)
            {
                cancel.Cancel();
            }
        });

        Assert.That(() => trainer.Train(data, data, folder.File("run"), progress, cancel.Token), Throws.InstanceOf<OperationCanceledException>());

        Assert.That(TrainingCheckpoint.ReadInfo(folder.File("run/last.safetensors")).Epoch, Is.EqualTo(1));
        using ConvNetwork reloaded = TinyNetwork();
        Assert.That(() => reloaded.LoadWeights(folder.File("run/last.safetensors")), Throws.Nothing);
        Assert.That(Directory.GetFiles(folder.File("run")).Select(Path.GetFileName), Is.EquivalentTo(new[] { "best.safetensors", "last.safetensors" }));
    }

    [Test]
    public void ResumingWithOtherOptions_OrAnotherNetwork_IsRefusedNamingTheDifference()
    {
        using var folder = new TempFolder();
        ImageDataset data = ColourSquares(folder, imagesPerClass: 4);
        var options = new TrainingOptions { Epochs = 1, BatchSize = 4, Resolution = 16 };
        using (ConvNetwork network = TinyNetwork())
        using (var trainer = new Trainer(network, options))
        {
            trainer.Train(data, checkpointFolder: folder.File("run"));
        }

        using ConvNetwork same = TinyNetwork();
        using var otherRecipe = new Trainer(same, options with { Seed = 9 });
        using var otherNetwork = new Trainer(new ConvNetwork(new EfficientNetBuilder().WithPhi(-7).WithResolution(32).WithNumClasses(3).BuildSpec()), options);

        Assert.That(() => otherRecipe.Resume(folder.File("run/last.safetensors")), Throws.ArgumentException.With.Message.Contain("Seed 0 → 9"));
        Assert.That(() => otherNetwork.Resume(folder.File("run/last.safetensors")), Throws.ArgumentException.With.Message.Contain("was written for"));
    }

    [Test]
    public void DatasetWithOtherClassCount_IsRefusedWithTheFix()
    {
        using var folder = new TempFolder();
        ImageDataset data = ColourSquares(folder, imagesPerClass: 2);
        using var network = new ConvNetwork(new EfficientNetBuilder().WithPhi(-8).WithResolution(32).WithNumClasses(5).BuildSpec());
        using var trainer = new Trainer(network);

        Assert.That(() => trainer.Train(data), Throws.ArgumentException.With.Message.Contain("ResetClassifier(3)"));
        Assert.That(() => new Trainer(network, new TrainingOptions { FreezeStages = 99 }), Throws.InstanceOf<ArgumentOutOfRangeException>().With.Message.Contain("FreezeStages"));
        Assert.That(() => new Trainer(network, new TrainingOptions { Epochs = 2, WarmupEpochs = 3 }), Throws.InstanceOf<ArgumentOutOfRangeException>().With.Message.Contain("WarmupEpochs"));
    }

    private static ConvNetwork TinyNetwork() =>
        new(new EfficientNetBuilder().WithPhi(-8).WithResolution(32).WithNumClasses(Colours.Length).BuildSpec());

    private static ImageDataset ColourSquares(TempFolder folder, int imagesPerClass)
    {
        string root = folder.File("images");
        if (!Directory.Exists(root))
        {
            ImageFolders.WriteColourSquares(root, Colours, imagesPerClass, size: 16);
        }

        return ImageFolderDataset.Load(root);
    }

    private static Dictionary<string, Tensor> Snapshot(ConvNetwork network) =>
        network.state_dict().ToDictionary(pair => pair.Key, pair => pair.Value.clone());

    private static bool Same(Tensor a, Tensor b) => a.equal(b).all().item<bool>();

    private static int? FeaturesChild(string key) =>
        key.StartsWith("features.", StringComparison.Ordinal) ? int.Parse(key.Split('.')[1]) : null;
}
