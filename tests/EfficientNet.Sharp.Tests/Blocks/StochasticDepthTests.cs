using EfficientNet.Sharp.Blocks;
using TorchSharp;
using static TorchSharp.torch;

namespace EfficientNet.Sharp.Tests.Blocks;

public class StochasticDepthTests
{
    [Test]
    public void InTraining_DropsWholeSamplesAndRescalesTheRest()
    {
        using var layer = new StochasticDepth(0.5);
        layer.train();
        using var scope = torch.NewDisposeScope();
        Tensor output = layer.call(torch.ones(4000, 3, 4, 4));

        // Every sample is either entirely dropped (0) or entirely kept and scaled by 1 / (1 − p) = 2.
        Tensor perSampleMin = output.amin([1L, 2L, 3L]);
        Tensor perSampleMax = output.amax([1L, 2L, 3L]);
        Assert.That(perSampleMin.allclose(perSampleMax, rtol: 0, atol: 0), Is.True, "a sample must be dropped or kept as a whole");
        Assert.That(output.unique().output.data<float>().ToArray(), Is.EquivalentTo(new[] { 0f, 2f }));

        double dropped = (perSampleMax == 0).to_type(ScalarType.Float32).mean().item<float>();
        Assert.That(dropped, Is.EqualTo(0.5).Within(0.04));
    }

    [Test]
    public void InEval_IsTheIdentity()
    {
        using var layer = new StochasticDepth(0.9);
        layer.eval();
        using var scope = torch.NewDisposeScope();
        Tensor input = torch.randn(8, 4, 2, 2);

        Assert.That(layer.call(input).allclose(input, rtol: 0, atol: 0), Is.True);
    }

    [Test]
    public void ProbabilityOne_DropsEverything_ProbabilityZero_NothingEvenInTraining()
    {
        using var all = new StochasticDepth(1);
        using var none = new StochasticDepth(0);
        all.train();
        none.train();
        using var scope = torch.NewDisposeScope();
        Tensor input = torch.randn(16, 2, 3, 3);

        Assert.That(all.call(input).count_nonzero().item<long>(), Is.Zero);
        Assert.That(none.call(input).allclose(input, rtol: 0, atol: 0), Is.True);
    }

    [TestCase(-0.1)]
    [TestCase(1.1)]
    [TestCase(double.NaN)]
    public void Probability_OutsideTheUnitInterval_Throws(double probability)
    {
        Assert.That(() => new StochasticDepth(probability), Throws.InstanceOf<ArgumentOutOfRangeException>().With.Property("ParamName").EqualTo("probability"));
    }
}
