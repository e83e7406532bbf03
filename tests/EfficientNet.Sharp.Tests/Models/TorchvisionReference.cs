using System.Text.Json;
using EfficientNet.Sharp.Models;
using EfficientNet.Sharp.Weights;
using TorchSharp;
using static TorchSharp.torch;

namespace EfficientNet.Sharp.Tests.Models;

/// <summary>
/// The files Python torchvision 0.21 wrote into ../shared/testdata/torchvision-reference: a manifest of keys, shapes
/// and parameter counts, and for some models random weights with an input and torchvision's output on it.
/// </summary>
internal static class TorchvisionReference
{
    /// <summary>The manifest's entry for one model (<c>parameters</c>, <c>keys</c>: [name, shape, dtype]).</summary>
    public static JsonElement Entry(string name)
    {
        using JsonDocument document = JsonDocument.Parse(File.ReadAllText(TestData.File("torchvision-reference", "manifest.json")));
        return document.RootElement.GetProperty("models").GetProperty(name).Clone();
    }

    /// <summary>The manifest's keys of one model with their shapes.</summary>
    public static Dictionary<string, long[]> Shapes(string name) =>
        Entry(name).GetProperty("keys").EnumerateArray().ToDictionary(
            key => key[0].GetString()!,
            key => key[1].EnumerateArray().Select(d => d.GetInt64()).ToArray());

    /// <summary>
    /// Loads torchvision's random weights into <paramref name="network"/> strictly and checks that it reproduces
    /// torchvision's output within 1e-4 × the largest output, eager and as a <c>ForInference()</c> copy.
    /// </summary>
    public static void AssertReproduces(ConvNetwork network, string name)
    {
        WeightLoadReport report = network.LoadWeights(TestData.File("torchvision-reference", $"{name}.pth"));
        Assert.That(report.Layout, Is.EqualTo(KeyLayout.Torchvision));
        network.eval();

        using Checkpoint io = Checkpoint.Read(TestData.File("torchvision-reference", $"{name}.io.safetensors"));
        using var scope = torch.NewDisposeScope();
        Tensor input = io.StateDict["input"];
        Tensor expected = io.StateDict["output"];
        double scale = expected.abs().max().item<float>();

        Tensor eager;
        using (torch.no_grad())
        {
            eager = network.call(input);
        }

        using InferenceNetwork prepared = network.ForInference();
        Tensor fast = prepared.call(input);
        double eagerDifference = (eager - expected).abs().max().item<float>();
        double preparedDifference = (fast - expected).abs().max().item<float>();
        TestContext.Out.WriteLine($"{name}: max |Δ| eager {eagerDifference:E2}, prepared {preparedDifference:E2}, max |output| {scale:F3}");
        Assert.Multiple(() =>
        {
            Assert.That(eager.shape, Is.EqualTo(expected.shape));
            Assert.That(eagerDifference, Is.LessThanOrEqualTo(1e-4 * scale), "eager");
            Assert.That(preparedDifference, Is.LessThanOrEqualTo(1e-4 * scale), "ForInference()");
        });
    }
}
