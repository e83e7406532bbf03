using System.Globalization;
using EfficientNet.Sharp.Analysis;
using EfficientNet.Sharp.Devices;
using EfficientNet.Sharp.Models;
using EfficientNet.Sharp.Scaling;
using EfficientNet.Sharp.Specs;
using EfficientNet.Sharp.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace EfficientNet.Sharp.Benchmarks;

/// <summary>
/// Peak memory of an EfficientNet-B0 training step against the analyzer's prediction: the activations kept for
/// backward, plus weights, their gradients and SGD's momentum (three copies of the parameters) and the buffers.
/// The measurement is the rise of resident memory from before the network is built to the peak of its second
/// step (the first allocates the momentum).
/// </summary>
internal static class TrainingMemory
{
    public static void Print(int batch)
    {
        torch.set_num_threads(BenchmarkConfig.Threads);
        NetworkSpec spec = new EfficientNetBuilder().BuildSpec();
        NetworkAnalysis analysis = NetworkAnalyzer.Analyze(spec, batchSize: batch);
        long predicted = analysis.TrainingActivationBytes + (3 * analysis.ParameterBytes) + analysis.BufferBytes;
        using Tensor input = torch.randn(batch, 3, spec.Resolution, spec.Resolution);
        using Tensor labels = torch.randint(0, 1000, [batch]);
        ConvNetwork? network = null;
        UpdateRule? rule = null;
        long? measured = PeakMemory.Measure(() =>
        {
            network = new ConvNetwork(spec);
            network.train();
            rule = UpdateRule.Create(OptimizerKind.Sgd, TrainableParameter.Of(network), new TrainingOptions());
            for (int step = 0; step < 2; step++)
            {
                using var scope = torch.NewDisposeScope();
                network.zero_grad();
                Tensor loss = nn.functional.cross_entropy(network.call(input), labels);
                loss.backward();
                rule.Step(0.01);
            }
        });

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"EfficientNet-B0 training step, batch {batch}, {spec.Resolution} px, SGD with momentum"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"predicted: {Mib(analysis.TrainingActivationBytes)} activations kept + 3 × {Mib(analysis.ParameterBytes)} weights, gradients, momentum + {Mib(analysis.BufferBytes)} buffers = {Mib(predicted)}"));
        Console.WriteLine(measured is long bytes
            ? string.Create(CultureInfo.InvariantCulture, $"measured:  {Mib(bytes)} peak rise of resident memory; measured / predicted = {(double)bytes / predicted:0.000}")
            : "measured:  not available on this operating system");
        rule?.Dispose();
        network?.Dispose();
    }

    private static string Mib(long bytes) => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1048576.0:0.0} MiB");
}
