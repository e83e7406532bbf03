using EfficientNet.Sharp.Data;
using EfficientNet.Sharp.Models;
using EfficientNet.Sharp.Scaling;
using EfficientNet.Sharp.Tests.Training;
using EfficientNet.Sharp.Training;
using EfficientNet.Sharp.Weights;
using TorchSharp;

namespace EfficientNet.Sharp.Tests.Reliability;

/// <summary>Training that diverges, batches BatchNorm cannot normalise and empty test sets are errors, never a success with a made-up accuracy.</summary>
[NonParallelizable]
public class DivergenceTests
{
    private static readonly string[] Classes = ["blue", "red", "yellow"];

    [Test]
    public void HugeLearningRate_StopsWithTheEpochAndStep_AndExitsWithOne()
    {
        using var folder = new TempFolder();
        ImageFolders.WriteColourSquares(folder.File("data"), Classes, imagesPerClass: 8, size: 24);

        ChildProcessResult result = ChildProcess.Effnet(null, "train", "--data", folder.File("data"), "--model", "mobilenet_v1", "--width", "0.25", "--resolution", "64",
            "--epochs", "2", "--batch", "8", "--lr", "1e10", "--warmup-epochs", "0", "--output", folder.File("run"));

        Assert.That(result.ExitCode, Is.EqualTo(1), result.Error);
        Assert.That(result.Error, Does.Match(@"^error: Training diverged in epoch 1, step \d+: the (loss|gradient norm) is"));
        Assert.That(result.Output, Does.Not.Contain("accuracy:"), "no accuracy is reported");
        Assert.That(File.Exists(folder.File("run/best.safetensors")), Is.False, "no 'best' from a diverged epoch");
    }

    /// <summary>Divergence in a later epoch keeps the earlier epoch's checkpoints, and they hold numbers.</summary>
    [Test]
    public void DivergenceInEpochTwo_KeepsEpochOnesFiniteCheckpoints()
    {
        using var folder = new TempFolder();
        ImageFolders.WriteColourSquares(folder.File("data"), Classes, imagesPerClass: 8, size: 24);
        ImageDataset data = ImageFolderDataset.Load(folder.File("data"));
        using var network = new ConvNetwork(new MobileNetV1Builder().WithWidth(0.25).WithResolution(32).WithNumClasses(3).BuildSpec());
        using var trainer = new Trainer(network, new TrainingOptions { Epochs = 3, BatchSize = 8 });
        var poison = new SynchronousProgress<TrainingProgress>(report =>
        {
            if (report.Phase == TrainingPhase.Training && report.EpochNumber == 2 && report.Step == 1)
            {
                using var noGrad = torch.no_grad();
                network.Classifier.parameters().First().fill_(float.NaN);
            }
        });

        TrainingDivergedException diverged = Assert.Throws<TrainingDivergedException>(() => trainer.Train(data, data, folder.File("run"), poison))!;

        Assert.That((diverged.Epoch, diverged.Step), Is.EqualTo((2, 5L)), "3 steps in epoch 1, the poisoned weights fail epoch 2's second step");
        TrainingCheckpoint last = TrainingCheckpoint.ReadInfo(folder.File("run/last.safetensors"));
        Assert.That(last.Epoch, Is.EqualTo(1));
        using Checkpoint kept = Checkpoint.Read(folder.File("run/last.safetensors"));
        Assert.That(kept.StateDict.Values.Where(t => t.is_floating_point()).All(t => t.isfinite().all().item<bool>()), Is.True, "the kept checkpoint holds numbers");
    }

    [Test]
    public void BatchOfOneAtAOneByOneMap_IsRefused()
    {
        using var folder = new TempFolder();
        ImageFolders.WriteColourSquares(folder.File("data"), Classes, imagesPerClass: 4, size: 24);

        ChildProcessResult result = ChildProcess.Effnet(null, "train", "--data", folder.File("data"), "--model", "mobilenet_v1", "--width", "0.25", "--resolution", "32",
            "--epochs", "1", "--batch", "1", "--output", folder.File("run"));

        Assert.That(result.ExitCode, Is.EqualTo(2), result.Error);
        Assert.That(result.Error, Does.Contain("1 × 1 feature map").And.Contain("BatchSize of at least 2"));
        Assert.That(File.Exists(folder.File("run/last.safetensors")), Is.False);
    }

    /// <summary>An empty test split (a folder's is refused when read; an IDX file may declare 0 images) is an error, not 0.00 %.</summary>
    [Test]
    public void EmptyTestSet_IsAnError()
    {
        using var folder = new TempFolder();
        string fashion = folder.File("fashion");
        Directory.CreateDirectory(fashion);
        IdxFiles.Write(Path.Combine(fashion, "train-images-idx3-ubyte"), [5_100, 28, 28]);
        IdxFiles.Write(Path.Combine(fashion, "train-labels-idx1-ubyte"), [5_100]);
        IdxFiles.Write(Path.Combine(fashion, "t10k-images-idx3-ubyte"), [0, 28, 28]);
        IdxFiles.Write(Path.Combine(fashion, "t10k-labels-idx1-ubyte"), [0]);

        ChildProcessResult train = ChildProcess.Effnet(null, "train", "--fashion-mnist", fashion, "--model", "mobilenet_v1", "--width", "0.25", "--resolution", "32",
            "--epochs", "1", "--batch", "50", "--output", folder.File("run"));

        Assert.That(train.ExitCode, Is.EqualTo(1), train.Error);
        Assert.That(train.Error, Does.Contain("has no test images"));
        Assert.That(train.Output, Does.Not.Contain("accuracy:"));
    }

    [Test]
    public void Evaluate_NetworkWithNonFiniteOutputs_SaysSoAndExitsWithOne()
    {
        using var folder = new TempFolder();
        ImageFolders.WriteColourSquares(folder.File("data"), Classes, imagesPerClass: 4, size: 24);
        string checkpoint = folder.File("nan.safetensors");
        using (var network = new ConvNetwork(new MobileNetV1Builder().WithWidth(0.25).WithResolution(32).WithNumClasses(3).BuildSpec()))
        {
            using (torch.no_grad())
            {
                network.Features.parameters().First().fill_(float.NaN);
            }

            Dictionary<string, string> header = CheckpointFiles.Header(network, Classes);
            header["effnet.network"] = """{"Model":"mobilenet_v1","Width":0.25,"Resolution":32}""";
            CheckpointFiles.Write(checkpoint, network, header);
        }

        ChildProcessResult result = ChildProcess.Effnet(null, "evaluate", "--data", folder.File("data"), "--weights", checkpoint);

        Assert.That(result.ExitCode, Is.EqualTo(1), result.Error);
        Assert.That(result.Error, Does.StartWith("error: The network's outputs are not finite"));
        Assert.That(result.Output, Does.Not.Contain("accuracy:"));
    }
}
