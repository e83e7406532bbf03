using EfficientNet.Sharp.Scaling;
using TorchSharp;
using static TorchSharp.torch;

namespace EfficientNet.Sharp.Tests.Models;

/// <summary>Our MobileNetV2 against an independent implementation: TorchSharp's own TorchVision port.</summary>
public class TorchVisionReferenceTests
{
    [Test]
    public void MobileNetV2_HasTheSameStateDictKeysAndShapes()
    {
        using var ours = new MobileNetV2Builder().Build();
        using var reference = torchvision.models.mobilenet_v2();

        Dictionary<string, long[]> ourShapes = ModuleInspection.StateDictShapes(ours);
        Dictionary<string, long[]> referenceShapes = ModuleInspection.StateDictShapes(reference);

        Assert.That(ourShapes.Keys, Is.EquivalentTo(referenceShapes.Keys));
        Assert.That(ourShapes, Has.Count.EqualTo(314));
        foreach ((string key, long[] shape) in referenceShapes)
        {
            Assert.That(ourShapes[key], Is.EqualTo(shape), key);
        }
    }

    [TestCase(1.0)]
    [TestCase(0.5)]
    [TestCase(1.4)]
    public void MobileNetV2_WithTorchVisionsWeights_GivesTheSameOutputs(double width)
    {
        using var ours = new MobileNetV2Builder().WithWidth(width).Build();
        using var reference = torchvision.models.mobilenet_v2(width_mult: width);

        // Random non-trivial BatchNorm statistics, so that eval mode exercises them.
        using (torch.no_grad())
        {
            foreach ((string name, Tensor buffer) in reference.named_buffers())
            {
                if (name.EndsWith("running_mean", StringComparison.Ordinal))
                {
                    buffer.normal_(0, 0.1);
                }
                else if (name.EndsWith("running_var", StringComparison.Ordinal))
                {
                    buffer.uniform_(0.5, 1.5);
                }
            }
        }

        ours.load_state_dict(reference.state_dict());
        ours.eval();
        reference.eval();

        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        Tensor input = torch.randn(2, 3, 160, 160);
        Tensor expected = reference.call(input);
        Tensor actual = ours.call(input);

        Assert.That(actual.shape, Is.EqualTo(expected.shape));
        double maxDifference = (actual - expected).abs().max().item<float>();
        double scale = expected.abs().max().item<float>();
        TestContext.Out.WriteLine($"width {width}: max |Δ| = {maxDifference:E2} (max |logit| {scale:F3})");
        Assert.That(maxDifference, Is.LessThanOrEqualTo(1e-5 * Math.Max(1, scale)));
    }

    [Test]
    public void MobileNetV2_WithTorchVisionsWeights_GivesTheSameGradients()
    {
        // Our blocks add the residual in place and free intermediates early; autograd must not notice.
        using var ours = new MobileNetV2Builder().Build();
        using var reference = torchvision.models.mobilenet_v2();
        ours.load_state_dict(reference.state_dict());
        ours.eval();
        reference.eval();

        using var scope = torch.NewDisposeScope();
        Tensor input = torch.randn(2, 3, 96, 96);
        reference.call(input).square().sum().backward();
        ours.call(input).square().sum().backward();

        var expected = reference.named_parameters().ToDictionary(p => p.name, p => p.parameter.grad);
        int compared = 0;
        foreach ((string name, var parameter) in ours.named_parameters())
        {
            Tensor? gradient = parameter.grad;
            Assert.That(gradient, Is.Not.Null, name);
            Assert.That(gradient!.allclose(expected[name]!, rtol: 1e-4, atol: 1e-6), Is.True, name);
            compared++;
        }

        Assert.That(compared, Is.EqualTo(158));
    }

    [TestCase(1.0)]
    [TestCase(0.75)]
    [TestCase(0.35)]
    public void MobileNetV2_ParameterCountEqualsTorchVisions(double width)
    {
        using var ours = new MobileNetV2Builder().WithWidth(width).Build();
        using var reference = torchvision.models.mobilenet_v2(width_mult: width);

        Assert.That(ModuleInspection.ParameterCount(ours), Is.EqualTo(ModuleInspection.ParameterCount(reference)));
    }
}
