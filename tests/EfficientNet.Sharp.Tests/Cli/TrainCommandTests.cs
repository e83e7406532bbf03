using System.Globalization;
using System.Text.RegularExpressions;
using EfficientNet.Sharp.Tests.Training;
using EfficientNet.Sharp.Training;

namespace EfficientNet.Sharp.Tests.Cli;

/// <summary><c>effnet train</c> and <c>effnet evaluate</c> end to end on a small image folder made here.</summary>
[NonParallelizable]
public partial class TrainCommandTests
{
    [Test]
    public void TrainThenEvaluate_OnAnImageFolder_AgreeOnTheAccuracy()
    {
        using var folder = new TempFolder();
        string[] classes = ["blue", "red", "yellow"];
        ImageFolders.WriteColourSquares(folder.File("data/train"), classes, imagesPerClass: 16, size: 24, seed: 1);
        ImageFolders.WriteColourSquares(folder.File("data/val"), classes, imagesPerClass: 6, size: 24, seed: 2);

        EffnetResult train = Effnet.Run(
            "train", "--data", folder.File("data"), "--model", "mobilenet_v1", "--width", "0.25", "--resolution", "32",
            "--epochs", "3", "--batch", "8", "--lr", "0.1", "--augment", "pad-crop", "--output", folder.File("run"));

        Assert.That(train.ExitCode, Is.Zero, train.Errors);
        Assert.That(train.Output, Does.Contain("48 images of 3 classes").And.Contain("validation: 18 images"));
        Assert.That(Regex.Matches(train.Output, @"^\s+[123]\s+\d\.\d{4}\s+\d+\.\d\d%", RegexOptions.Multiline), Has.Count.EqualTo(3), "one table row per epoch");
        string[] lines = train.Output.TrimEnd().Split('\n');
        Match final = AccuracyLine().Match(lines[^1]);
        Assert.That(final.Success, Is.True, $"the last line is the accuracy: {lines[^1]}");
        Assert.That(final.Groups[1].Value, Is.EqualTo("validation"), "no test/ folder: the validation images");
        Assert.That(File.Exists(folder.File("run/best.safetensors")) && File.Exists(folder.File("run/last.safetensors")), Is.True);

        EffnetResult evaluate = Effnet.Run("evaluate", "--data", folder.File("data"), "--weights", folder.File("run/best.safetensors"));

        Assert.That(evaluate.ExitCode, Is.Zero, evaluate.Errors);
        Assert.That(evaluate.Output, Does.Contain("blue").And.Contain("yellow").And.Contain("validation images: 18"));
        Assert.That(evaluate.Output, Does.Not.Contain("Evaluating"), "progress stays off stdout, which a script reads");
        Match evaluated = Regex.Match(evaluate.Output, @"^accuracy: (\d+\.\d\d)%", RegexOptions.Multiline);
        Assert.That(evaluated.Success, Is.True, evaluate.Output);
        Assert.That(evaluated.Groups[1].Value, Is.EqualTo(final.Groups[2].Value), "the same weights, images and transform");

        // The best checkpoint's own record agrees too.
        double recorded = TrainingCheckpoint.ReadInfo(folder.File("run/best.safetensors")).ValidationAccuracy!.Value;
        Assert.That((recorded * 100).ToString("0.00", CultureInfo.InvariantCulture), Is.EqualTo(final.Groups[2].Value));

        // The exported file, float and int8, evaluated as deployed: ONNX Runtime with the preprocessing the file records.
        string[] network = ["--model", "mobilenet_v1", "--width", "0.25", "--resolution", "32", "--classes", "3", "--weights", folder.File("run/best.safetensors")];
        EffnetResult exportFloat = Effnet.Run(["export", .. network, "--output", folder.File("float.onnx")]);
        EffnetResult exportInt8 = Effnet.Run(["export", .. network, "--int8", "--data", folder.File("data"), "--calibration-images", "40", "--output", folder.File("int8.onnx")]);
        Assert.That(exportFloat.ExitCode, Is.Zero, exportFloat.Errors);
        Assert.That(exportInt8.ExitCode, Is.Zero, exportInt8.Errors);
        Assert.That(exportInt8.Output, Does.Contain("calibrated (Percentile, 40 images)").And.Contain("on 8 held-out images: top-1 agreement"));
        EffnetResult evaluateFloat = Effnet.Run("evaluate", "--data", folder.File("data"), "--onnx", folder.File("float.onnx"));
        EffnetResult evaluateInt8 = Effnet.Run("evaluate", "--data", folder.File("data"), "--onnx", folder.File("int8.onnx"));
        Assert.That(evaluateFloat.ExitCode, Is.Zero, evaluateFloat.Errors);
        Assert.That(evaluateInt8.ExitCode, Is.Zero, evaluateInt8.Errors);
        Assert.That(Regex.Match(evaluateFloat.Output, @"^accuracy: (\d+\.\d\d)%", RegexOptions.Multiline).Groups[1].Value, Is.EqualTo(final.Groups[2].Value), "the float file computes what the checkpoint does");
        Assert.That(evaluateInt8.Output, Does.Match(@"(?m)^accuracy: \d+\.\d\d%$").And.Contain("validation images: 18"));

        // A file that outputs probabilities is evaluated on their logarithm: the same classes, the same accuracy.
        EffnetResult exportSoftmax = Effnet.Run(["export", .. network, "--softmax", "--output", folder.File("softmax.onnx")]);
        EffnetResult evaluateSoftmax = Effnet.Run("evaluate", "--data", folder.File("data"), "--onnx", folder.File("softmax.onnx"));
        Assert.That(exportSoftmax.ExitCode, Is.Zero, exportSoftmax.Errors);
        Assert.That(evaluateSoftmax.ExitCode, Is.Zero, evaluateSoftmax.Errors);
        Assert.That(Regex.Match(evaluateSoftmax.Output, @"^accuracy: (\d+\.\d\d)%", RegexOptions.Multiline).Groups[1].Value, Is.EqualTo(final.Groups[2].Value));
    }

    [Test]
    public void Resume_ContinuesAfterTheLastCheckpoint_WithTheSameOptionsOnly()
    {
        using var folder = new TempFolder();
        ImageFolders.WriteColourSquares(folder.File("data"), ["a", "b"], imagesPerClass: 8, size: 16);
        string[] common = ["train", "--data", folder.File("data"), "--model", "mobilenet_v1", "--width", "0.25", "--resolution", "32", "--batch", "8", "--output", folder.File("run")];

        EffnetResult first = Effnet.Run([.. common, "--epochs", "2"]);
        EffnetResult other = Effnet.Run([.. common, "--epochs", "3", "--resume"]);

        Assert.That(first.ExitCode, Is.Zero, first.Errors);
        Assert.That(other.ExitCode, Is.EqualTo(2), "other options (3 epochs, not 2) cannot retrace the run");
        Assert.That(other.Errors, Does.Contain("Epochs 2 → 3"));
        EffnetResult again = Effnet.Run([.. common, "--epochs", "2", "--resume"]);
        Assert.That(again.ExitCode, Is.Zero, again.Errors);
        Assert.That(again.Output, Does.Contain("Resuming from").And.Contain("after epoch 2 of 2").And.Contain("training accuracy:"));
        Assert.That(Regex.Matches(again.Output, @"^\s+\d+\s+\d\.\d{4}", RegexOptions.Multiline), Is.Empty, "no epoch left to train");
    }

    /// <summary>
    /// --seed fixes the initial weights too: a run repeats itself whatever drew from libtorch's global generator before
    /// it in the process (in the test suite, other tests do), and another seed starts elsewhere. (A run whose unseeded
    /// start depended on the tests before it diverged once in the suite.)
    /// </summary>
    [Test]
    public void TheSeed_FixesTheInitialWeights()
    {
        using var folder = new TempFolder();
        ImageFolders.WriteColourSquares(folder.File("data"), ["a", "b"], imagesPerClass: 8, size: 16);
        string Losses(int seed, string run)
        {
            TorchSharp.torch.rand(1000).Dispose(); // drawn from the global generator, as a test before this one might

            EffnetResult result = Effnet.Run("train", "--data", folder.File("data"), "--model", "mobilenet_v1", "--width", "0.25", "--resolution", "32", "--batch", "8", "--epochs", "1", "--seed", seed.ToString(CultureInfo.InvariantCulture), "--output", folder.File(run));
            Assert.That(result.ExitCode, Is.Zero, result.Errors);
            return string.Join('|', Regex.Matches(result.Output, @"^\s+1\s+(\d\.\d{4})", RegexOptions.Multiline).Select(match => match.Groups[1].Value));
        }

        string first = Losses(0, "a");

        Assert.That(first, Is.Not.Empty, "the epoch's row");
        Assert.That(Losses(0, "b"), Is.EqualTo(first));
        Assert.That(Losses(1, "c"), Is.Not.EqualTo(first));
    }

    [TestCase(new[] { "train", "--fashion-mnist", "--data", "x", "--output", "o" }, 2, "one of --data DIR or --fashion-mnist")]
    [TestCase(new[] { "train", "--data", "x" }, 2, "--output DIR is required")]
    [TestCase(new[] { "train", "--data", "x", "--output", "o", "--optimizer", "lamb" }, 2, "Unknown --optimizer 'lamb'")]
    [TestCase(new[] { "train", "--data", "/nonexistent/photos", "--output", "o" }, 1, "/nonexistent/photos")]
    [TestCase(new[] { "evaluate", "--data", "x" }, 2, "Give one of --weights FILE and --onnx FILE")]
    [TestCase(new[] { "evaluate", "--data", "x", "--onnx", "/nonexistent/model.onnx" }, 1, "/nonexistent/model.onnx")]
    [TestCase(new[] { "evaluate", "--data", "x", "--weights", "/nonexistent/best.safetensors" }, 1, "/nonexistent/best.safetensors")]
    public void BadCommandLines_FailWithTheDocumentedCodes(string[] args, int exitCode, string message)
    {
        EffnetResult result = Effnet.Run(args);

        Assert.That(result.ExitCode, Is.EqualTo(exitCode), result.Errors);
        Assert.That(result.Errors, Does.Contain(message));
    }

    /// <summary>
    /// A checkpoint of <c>effnet train</c> is deployed by naming it alone: export builds the network it records, and the
    /// file carries the checkpoint's preprocessing and class names exactly, as OnnxClassifier reads them; classify
    /// reads the same record.
    /// </summary>
    [Test]
    public void TrainThenExportByCheckpointAlone_CarriesItsNetworkPreprocessingAndClassNames()
    {
        using var folder = new TempFolder();
        string[] classes = ["blue", "red", "yellow"];
        ImageFolders.WriteColourSquares(folder.File("data/train"), classes, imagesPerClass: 8, size: 40, seed: 1);
        ImageFolders.WriteColourSquares(folder.File("data/val"), classes, imagesPerClass: 4, size: 40, seed: 2);
        EffnetResult train = Effnet.Run(
            "train", "--data", folder.File("data"), "--model", "mobilenet_v2", "--width", "0.35", "--resolution", "32",
            "--epochs", "1", "--batch", "8", "--output", folder.File("run"));
        Assert.That(train.ExitCode, Is.Zero, train.Errors);
        string best = folder.File("run/best.safetensors");
        TrainingCheckpoint checkpoint = TrainingCheckpoint.ReadInfo(best);

        EffnetResult export = Effnet.Run("export", "--weights", best, "--output", folder.File("model.onnx"));

        Assert.That(export.ExitCode, Is.Zero, export.Errors);
        using (var deployed = new EfficientNet.Sharp.OnnxRuntime.OnnxClassifier(folder.File("model.onnx")))
        {
            Assert.That(deployed.Transform, Is.EqualTo(checkpoint.Preprocessing), "the preprocessing the checkpoint was validated with");
            Assert.That(deployed.Transform.CropSize, Is.EqualTo(32));
            Assert.That(deployed.Labels, Is.EqualTo(classes));
        }

        EffnetResult classify = Effnet.Run("classify", folder.File("data/val/red"), "--weights", best, "--top", "1", "--json");
        Assert.That(classify.ExitCode, Is.Zero, classify.Errors);
        Assert.That(classify.Output, Does.Contain("\"label\":\"").And.Not.Contain("tench"), "the checkpoint's class names, not ImageNet's");
    }

    [GeneratedRegex(@"^(test|validation|training|all) accuracy: (\d+\.\d\d)%$")]
    private static partial Regex AccuracyLine();
}
