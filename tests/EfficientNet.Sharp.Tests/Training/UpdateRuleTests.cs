using EfficientNet.Sharp.Training;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace EfficientNet.Sharp.Tests.Training;

/// <summary>
/// Our optimizers against TorchSharp's own <c>SGD</c> and <c>AdamW</c> (ports of PyTorch's) on the same
/// gradients, with weight decay on weights and none on biases as the trainer groups them.
/// </summary>
public class UpdateRuleTests
{
    [TestCase(false)]
    [TestCase(true)]
    public void Sgd_MatchesTorchSharpsSgd(bool nesterov)
    {
        var options = new TrainingOptions { Optimizer = OptimizerKind.Sgd, Momentum = 0.9, Nesterov = nesterov, WeightDecay = 0.01 };

        Compare(options, parameters => [
            torch.optim.SGD(parameters.Where(p => p.dim() > 1), 0.05, momentum: 0.9, weight_decay: 0.01, nesterov: nesterov),
            torch.optim.SGD(parameters.Where(p => p.dim() <= 1), 0.05, momentum: 0.9, weight_decay: 0, nesterov: nesterov)]);
    }

    [Test]
    public void AdamW_MatchesTorchSharpsAdamW()
    {
        var options = new TrainingOptions { Optimizer = OptimizerKind.AdamW, WeightDecay = 0.05 };

        Compare(options, parameters => [
            torch.optim.AdamW(parameters.Where(p => p.dim() > 1), 0.05, weight_decay: 0.05),
            torch.optim.AdamW(parameters.Where(p => p.dim() <= 1), 0.05, weight_decay: 0)]);
    }

    [Test]
    public void WeightDecay_SkipsBiasesAndBatchNorm()
    {
        using var network = new EfficientNet.Sharp.Models.ConvNetwork(new EfficientNet.Sharp.Scaling.MobileNetV2Builder().WithWidth(0.35).WithNumClasses(3).BuildSpec());

        TrainableParameter[] parameters = TrainableParameter.Of(network);

        Assert.That(parameters.Where(p => p.Decays).Select(p => p.Name), Is.All.EndWith(".weight"));
        Assert.That(parameters.Single(p => p.Name == "features.0.0.weight").Decays, Is.True, "convolution");
        Assert.That(parameters.Single(p => p.Name == "features.0.1.weight").Decays, Is.False, "BatchNorm scale");
        Assert.That(parameters.Single(p => p.Name == "classifier.1.bias").Decays, Is.False);
        Assert.That(parameters.Single(p => p.Name == "classifier.1.weight").Decays, Is.True);
    }

    [Test]
    public void Schedule_WarmsUpLinearly_ThenFollowsACosineToZero()
    {
        var options = new TrainingOptions { Epochs = 4, WarmupEpochs = 1, LearningRate = 0.1 };

        Assert.That(options.LearningRateAt(0, 10), Is.EqualTo(0.01).Within(1e-12));
        Assert.That(options.LearningRateAt(9, 10), Is.EqualTo(0.1).Within(1e-12));
        Assert.That(options.LearningRateAt(10, 10), Is.EqualTo(0.1).Within(1e-12), "the cosine starts at the peak");
        Assert.That(options.LearningRateAt(25, 10), Is.EqualTo(0.05).Within(1e-12), "half-way through the decay");
        Assert.That(options.LearningRateAt(40, 10), Is.EqualTo(0).Within(1e-12));
    }

    private static void Compare(TrainingOptions options, Func<Parameter[], optim.Optimizer[]> reference)
    {
        torch.manual_seed(5);
        using var ours = nn.Linear(6, 4);
        using var theirs = nn.Linear(6, 4);
        theirs.load_state_dict(ours.state_dict());
        using UpdateRule rule = UpdateRule.Create(options.Optimizer, TrainableParameter.Of(ours), options);
        optim.Optimizer[] optimizers = reference(theirs.parameters().ToArray());
        for (int step = 0; step < 4; step++)
        {
            using Tensor input = torch.randn(8, 6);
            using Tensor target = torch.randn(8, 4);
            foreach ((Linear module, Action update) in new (Linear, Action)[] { (ours, () => rule.Step(0.05)), (theirs, () => Array.ForEach(optimizers, o => o.step())) })
            {
                module.zero_grad();
                using Tensor loss = nn.functional.mse_loss(module.call(input), target);
                loss.backward();
                update();
            }

            Assert.That(ours.weight!.allclose(theirs.weight!, rtol: 1e-6, atol: 1e-7), Is.True, $"weights after step {step + 1}");
            Assert.That(ours.bias!.allclose(theirs.bias!, rtol: 1e-6, atol: 1e-7), Is.True, $"biases after step {step + 1}");
        }

        foreach (optim.Optimizer optimizer in optimizers)
        {
            optimizer.Dispose();
        }
    }
}
