using System.Globalization;
using EfficientNet.Sharp.Models;
using EfficientNet.Sharp.Onnx;
using EfficientNet.Sharp.Scaling;
using EfficientNet.Sharp.Specs;
using EfficientNet.Sharp.TfLite;
using Microsoft.ML.OnnxRuntime;
using TorchSharp;
using static TorchSharp.torch;

namespace EfficientNet.Sharp.Tests.Onnx;

/// <summary>
/// Exported networks run in ONNX Runtime give TorchSharp's eval output within 1e-4 × max|logit|: every
/// family, scaled and imported network, at batch 1 and 3, at the native size and (with a symbolic size) at
/// another, with BatchNorm statistics far from the identity so that folding is exercised; and random specs of every
/// block kind.
/// </summary>
public class OnnxExportTests
{
    private static IEnumerable<TestCaseData> Networks()
    {
        yield return Case("mobilenet_v1_0.25_128", () => new MobileNetV1Builder().WithWidth(0.25).WithResolution(128).WithActivation(ActivationKind.ReLU6).BuildSpec(), 160);
        yield return Case("mobilenet_v1_1.0", () => new MobileNetV1Builder().BuildSpec(), 192);
        yield return Case("mobilenet_v2_0.5", () => new MobileNetV2Builder().WithWidth(0.5).BuildSpec(), 160);
        yield return Case("mobilenet_v2_1.0", () => new MobileNetV2Builder().BuildSpec(), 256);
        foreach (int phi in new[] { 0, 1, 2, 3 })
        {
            yield return Case($"efficientnet_b{phi}", () => new EfficientNetBuilder().WithPhi(phi).BuildSpec(), 192);
        }

        foreach (int phi in new[] { 4, 5, 6, 7 })
        {
            yield return Case($"efficientnet_b{phi}_at_96", () => new EfficientNetBuilder().WithPhi(phi).WithResolution(96).BuildSpec(), 128);
        }

        yield return Case("phi_0.5", () => new EfficientNetBuilder().WithPhi(0.5).BuildSpec(), 160);
        yield return Case("phi_-1.5", () => new EfficientNetBuilder().WithPhi(-1.5).BuildSpec(), 160);
        yield return Case("efficientnet_lite0", () => NetworkPresets.EfficientNetLite(0), 192);
        yield return Case("efficientnet_v2_s_at_128", () => new EfficientNetV2Builder().WithResolution(128).BuildSpec(), 160);
        yield return Case("mobilenet_v3_large", () => new MobileNetV3Builder().BuildSpec(), 160);
        yield return Case("mobilenet_v3_small_0.75", () => new MobileNetV3Builder().Small().WithWidth(0.75).BuildSpec(), 200);
        yield return Case("lukemelas_b0_tf_same", () => EfficientNet.Sharp.Weights.LukemelasWeights.Get(0).Architecture, 225);
        yield return Case("lukemelas_b0_tf_same_231", () => EfficientNet.Sharp.Weights.LukemelasWeights.Get(0).Architecture, 231);

        // Irregular specs of every block kind (a new kind is drawn without editing this file): the writer has no arm per kind.
        foreach (NetworkSpec random in RandomSpecs.Generate(8, seed: 1204))
        {
            yield return Case(random.Name, () => random, 72);
        }

        static TestCaseData Case(string name, Func<NetworkSpec> spec, int otherSize) => new TestCaseData(spec, otherSize).SetName(name);
    }

    [TestCaseSource(nameof(Networks))]
    public void OnnxRuntime_MatchesTorchSharp_AtBatchOneAndThree_NativeAndOtherSize(Func<NetworkSpec> build, int otherSize)
    {
        NetworkSpec spec = build();
        using ConvNetwork network = RandomStatistics.Network(spec);
        AssertMatches(network, spec.Resolution, otherSize);
    }

    [Test]
    public void CoralTfLiteImport_ExportsAndMatches()
    {
        using TfLiteModel model = TfLiteImport.Load(TestData.File("coral-test-data", "mobilenet_v1_0.25_128_quant.tflite"));
        AssertMatches(model.Network, model.Spec.Resolution, 160);
    }

    [Test]
    public void PreparedCopy_ExportsTheSameGraph()
    {
        NetworkSpec spec = new EfficientNetBuilder().WithPhi(-2).BuildSpec();
        using ConvNetwork network = RandomStatistics.Network(spec);
        using InferenceNetwork prepared = network.ForInference();
        using var fromNetwork = new MemoryStream();
        using var fromPrepared = new MemoryStream();

        OnnxExportReport a = network.ExportOnnx(fromNetwork);
        OnnxExportReport b = prepared.ExportOnnx(fromPrepared);

        Assert.That(b.NodeCount, Is.EqualTo(a.NodeCount));
        using InferenceSession session = OnnxRuntimeRun.Session(fromPrepared.ToArray());
        using Tensor input = torch.randn([2, 3, spec.Resolution, spec.Resolution], generator: new torch.Generator(1));
        AssertClose(Eval(network, input), OnnxRuntimeRun.Run(session, input), "prepared copy");
    }

    /// <summary>Static export at the native size (batch 1 and 3, optimised and not), symbolic-size export at another size.</summary>
    private static void AssertMatches(ConvNetwork network, int resolution, int otherSize)
    {
        using var scope = torch.NewDisposeScope();
        var generator = new torch.Generator(7);
        AssertInputSensitive(network, resolution, generator);
        byte[] fixedSize = Export(network, OnnxExportOptions.Default);
        foreach (bool optimize in new[] { true, false })
        {
            using InferenceSession session = OnnxRuntimeRun.Session(fixedSize, optimize);
            foreach (int batch in new[] { 1, 3 })
            {
                Tensor input = torch.randn([batch, network.Spec.InputChannels, resolution, resolution], generator: generator);
                AssertClose(Eval(network, input), OnnxRuntimeRun.Run(session, input), $"batch {batch}, {resolution} px, optimisation {(optimize ? "on" : "off")}");
            }
        }

        byte[] anySize = Export(network, OnnxExportOptions.Default with { DynamicImageSize = true });
        using InferenceSession dynamic = OnnxRuntimeRun.Session(anySize);
        foreach (int size in new[] { resolution, otherSize })
        {
            Tensor input = torch.randn([3, network.Spec.InputChannels, size, size], generator: generator);
            AssertClose(Eval(network, input), OnnxRuntimeRun.Run(dynamic, input), $"symbolic size, {size} px");
        }
    }

    /// <summary>The comparison means something only if the output depends on the input well beyond the tolerance (100 times it).</summary>
    private static void AssertInputSensitive(ConvNetwork network, int resolution, torch.Generator generator)
    {
        Tensor a = Eval(network, torch.randn([1, network.Spec.InputChannels, resolution, resolution], generator: generator));
        Tensor b = Eval(network, torch.randn([1, network.Spec.InputChannels, resolution, resolution], generator: generator));
        Assert.That((a - b).abs().max().item<float>(), Is.GreaterThan(100 * 1e-4f * a.abs().max().item<float>()), "two random images give clearly different outputs");
    }

    private static byte[] Export(ConvNetwork network, OnnxExportOptions options)
    {
        using var stream = new MemoryStream();
        network.ExportOnnx(stream, options);
        return stream.ToArray();
    }

    private static Tensor Eval(ConvNetwork network, Tensor input)
    {
        network.eval();
        using var noGrad = torch.no_grad();
        return network.call(input);
    }

    private static void AssertClose(Tensor expected, Tensor actual, string what)
    {
        Assert.That(actual.shape, Is.EqualTo(expected.shape), what);
        float scale = expected.abs().max().item<float>();
        float difference = (actual - expected).abs().max().item<float>();
        Assert.That(difference, Is.LessThanOrEqualTo((1e-4f * scale) + 1e-6f), string.Create(CultureInfo.InvariantCulture, $"{what}: max |difference| {difference:g3} against max |logit| {scale:g3}"));
    }
}
