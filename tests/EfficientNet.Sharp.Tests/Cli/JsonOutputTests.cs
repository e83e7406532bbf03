using System.Text.Json;
using EfficientNet.Sharp.Analysis;
using EfficientNet.Sharp.Inference;
using EfficientNet.Sharp.Models;
using EfficientNet.Sharp.Onnx;
using EfficientNet.Sharp.Profiles;
using EfficientNet.Sharp.Scaling;
using EfficientNet.Sharp.Tests.Profiles;
using EfficientNet.Sharp.Weights;

namespace EfficientNet.Sharp.Tests.Cli;

/// <summary>
/// <c>--json</c>: stdout is exactly one JSON document with the command's schema name, and its numbers are the library's
/// (analysis, registry, catalog, fit, predictor, evaluation) — not a re-rendering of the text.
/// </summary>
public class JsonOutputTests
{
    [Test]
    public void Summary_IsTheAnalysis()
    {
        using JsonDocument json = Parse(Effnet.Run("summary", "--model", "mobilenet_v3_small", "--width", "0.75", "--batch", "4", "--json"), "summary");
        NetworkAnalysis analysis = NetworkAnalyzer.Analyze(ModelRegistry.Get("mobilenet_v3_small").BuildSpec(new ModelOverrides { Width = 0.75 }), batchSize: 4);
        JsonElement root = json.RootElement;

        Assert.That(root.GetProperty("network").GetString(), Is.EqualTo(analysis.Spec.Name));
        Assert.That(root.GetProperty("parameters").GetInt64(), Is.EqualTo(analysis.Parameters));
        Assert.That(root.GetProperty("multiplyAccumulates").GetInt64(), Is.EqualTo(analysis.MultiplyAccumulates));
        Assert.That(root.GetProperty("trainingActivationBytes").GetInt64(), Is.EqualTo(analysis.TrainingActivationBytes));
        Assert.That(root.GetProperty("batchSize").GetInt32(), Is.EqualTo(4));
        Assert.That(root.GetProperty("parts").EnumerateArray().Select(p => p.GetProperty("name").GetString()), Is.EqualTo(analysis.Parts.Select(p => p.Name)));
        Assert.That(root.GetProperty("parts").EnumerateArray().Sum(p => p.GetProperty("parameters").GetInt64()), Is.EqualTo(analysis.Parameters));
    }

    [Test]
    public void Models_AreTheRegistry()
    {
        using JsonDocument json = Parse(Effnet.Run("models", "--json"), "models");
        JsonElement[] models = [.. json.RootElement.GetProperty("models").EnumerateArray()];

        Assert.That(models.Select(m => m.GetProperty("name").GetString()), Is.EqualTo(ModelRegistry.All.Select(m => m.Name)));
        Assert.That(models.Select(m => m.GetProperty("parameters").GetInt64()), Is.EqualTo(ModelRegistry.All.Select(m => NetworkAnalyzer.Analyze(m.Spec).Parameters)));
        Assert.That(models.Single(m => m.GetProperty("name").GetString() == "efficientnet_lite0").GetProperty("scales").EnumerateArray().Select(s => s.GetString()), Is.EqualTo(new[] { "resolution" }));
    }

    [Test]
    public void WeightsList_IsTheCatalog_WithWhatIsOnDisk()
    {
        using var cache = new TempFolder();
        PretrainedWeights cached = WeightCatalog.All[3];
        File.WriteAllText(cache.File(cached.FileName), "placeholder");
        using JsonDocument json = Parse(Effnet.Run("weights", "list", "--cache", cache.Path, "--json"), "weights-list");
        JsonElement[] weights = [.. json.RootElement.GetProperty("weights").EnumerateArray()];

        Assert.That(weights.Select(w => w.GetProperty("name").GetString()), Is.EqualTo(WeightCatalog.All.Select(w => w.Name)));
        Assert.That(weights.Where(w => w.GetProperty("onDisk").GetBoolean()).Select(w => w.GetProperty("name").GetString()), Is.EqualTo(new[] { cached.Name }));
        Assert.That(weights.Select(w => w.GetProperty("top1").ValueKind == JsonValueKind.Null ? (double?)null : w.GetProperty("top1").GetDouble()), Is.EqualTo(WeightCatalog.All.Select(w => w.Top1Accuracy)));
    }

    /// <summary>A budget decided from the spec: nothing is measured, and the choice is the largest φ within it.</summary>
    [Test]
    public void Fit_GivesTheChoiceAndEveryCandidate()
    {
        using JsonDocument json = Parse(Effnet.Run("fit", "--max-gmacs", "0.2", "--json"), "fit");
        JsonElement result = json.RootElement.GetProperty("results")[0];
        JsonElement chosen = result.GetProperty("chosen");
        JsonElement next = result.GetProperty("nextLarger");

        Assert.That(json.RootElement.GetProperty("budget").GetProperty("maxMultiplyAccumulates").GetInt64(), Is.EqualTo(200_000_000));
        Assert.That(result.GetProperty("family").GetString(), Is.EqualTo("compound"));
        Assert.That(chosen.GetProperty("multiplyAccumulates").GetInt64(), Is.LessThanOrEqualTo(200_000_000));
        Assert.That(next.GetProperty("multiplyAccumulates").GetInt64(), Is.GreaterThan(200_000_000));
        Assert.That(next.GetProperty("phi").GetDouble() - chosen.GetProperty("phi").GetDouble(), Is.EqualTo(0.1).Within(1e-9));
        Assert.That(next.GetProperty("violations")[0].GetString(), Does.Contain("GMACs"));
        Assert.That(NetworkAnalyzer.Analyze(new EfficientNetBuilder().WithPhi(chosen.GetProperty("phi").GetDouble()).BuildSpec()).MultiplyAccumulates, Is.EqualTo(chosen.GetProperty("multiplyAccumulates").GetInt64()));
    }

    [Test]
    public void Predict_IsThePredictor()
    {
        using var folder = new TempFolder();
        string profile = folder.File("device.json");
        SyntheticProfiles.PowerLaw().Save(profile);

        using JsonDocument json = Parse(Effnet.Run("predict", "--device", profile, "--model", "mobilenet_v2", "--resolution", "600", "--json"), "predict");
        LatencyPrediction expected = new LatencyPredictor(DeviceProfile.Load(profile)).Predict(ModelRegistry.Get("mobilenet_v2").BuildSpec(new ModelOverrides { Resolution = 600 }));

        Assert.That(json.RootElement.GetProperty("predictedMilliseconds").GetDouble(), Is.EqualTo(expected.Milliseconds).Within(1e-9));
        Assert.That(json.RootElement.GetProperty("parts").EnumerateArray().Sum(p => p.GetProperty("milliseconds").GetDouble()), Is.EqualTo(expected.Milliseconds).Within(1e-6));
        Assert.That(json.RootElement.GetProperty("extrapolated").GetArrayLength(), Is.EqualTo(expected.Extrapolated.Count).And.GreaterThan(0));
        Assert.That(json.RootElement.GetProperty("kernels").ValueKind, Is.EqualTo(JsonValueKind.Null), "kernels only with --kernels");
    }

    /// <summary>An exported file evaluated on Fashion-MNIST: the counts add up and agree with the accuracy.</summary>
    [Test]
    public void Evaluate_GivesAccuracyPerClassAndTheConfusionMatrix()
    {
        using var folder = new TempFolder();
        string model = folder.File("tiny.onnx");
        using (ConvNetwork network = RandomStatistics.Network(new MobileNetV1Builder().WithWidth(0.25).WithResolution(32).WithNumClasses(10).WithInputChannels(1).BuildSpec()))
        {
            network.ExportOnnx(model, new OnnxExportOptions { Transform = EvalTransform.ImageNet(32, 32, Interpolation.Bilinear) with { Mean = [0.5f], Std = [0.25f], Channels = 1 } });
        }

        using JsonDocument json = Parse(Effnet.Run("evaluate", "--onnx", model, "--fashion-mnist", TestData.FashionMnistFolder(), "--json"), "evaluate");
        JsonElement root = json.RootElement;
        long images = root.GetProperty("images").GetInt64();
        long[][] confusion = [.. root.GetProperty("confusion").EnumerateArray().Select(row => row.EnumerateArray().Select(c => c.GetInt64()).ToArray())];

        Assert.That(images, Is.EqualTo(10_000));
        Assert.That(confusion.Sum(row => row.Sum()), Is.EqualTo(images));
        Assert.That(root.GetProperty("correct").GetInt64(), Is.EqualTo(Enumerable.Range(0, 10).Sum(i => confusion[i][i])));
        Assert.That(root.GetProperty("accuracy").GetDouble(), Is.EqualTo(root.GetProperty("correct").GetInt64() / (double)images).Within(1e-12));
        Assert.That(root.GetProperty("classes").EnumerateArray().Select(c => c.GetProperty("name").GetString()), Does.Contain("Ankle boot"));
    }

    /// <summary>The command succeeded, wrote nothing but one JSON document to stdout, and that document names its schema.</summary>
    private static JsonDocument Parse(EffnetResult result, string command)
    {
        Assert.That(result.ExitCode, Is.Zero, result.Output + result.Errors);
        JsonDocument json = JsonDocument.Parse(result.Output);
        Assert.That(json.RootElement.GetProperty("schema").GetString(), Is.EqualTo($"effnet/{command}/1"));
        return json;
    }
}
