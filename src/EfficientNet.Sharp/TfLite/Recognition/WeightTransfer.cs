using EfficientNet.Sharp.Blocks;
using EfficientNet.Sharp.Models;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace EfficientNet.Sharp.TfLite.Recognition;

/// <summary>
/// Copies a recognised graph's weights into a network built from its spec. The file's convolutions carry
/// BatchNorm folded in (filter and bias); each of our BatchNorm layers is set to the identity that passes
/// the bias through — mean 0, variance 1, γ = √(1 + ε), β = bias — so the network keeps the same modules
/// and parameter names as one built from the spec, and <see cref="ConvNetwork.ForInference"/> folds it back.
/// </summary>
internal static class WeightTransfer
{
    public static void Apply(ConvNetwork network, RecognizedGraph graph)
    {
        Conv2d[] convolutions = [.. ModuleOrder.DepthFirst(network.Features).OfType<Conv2d>()];
        BatchNormLayer[] norms = [.. ModuleOrder.DepthFirst(network.Features).OfType<BatchNormLayer>()];
        ImportedConv[] imported = [.. graph.Convolutions];

        // Squeeze-and-excitation's convolutions have biases of their own; every other one is followed by a BatchNorm.
        int biased = convolutions.Count(c => c.bias is not null);
        if (convolutions.Length != imported.Length || norms.Length != imported.Length - biased)
        {
            throw new InvalidOperationException($"The network built for '{network.Spec.Name}' has {convolutions.Length} convolutions and {norms.Length} BatchNorms; the file has {imported.Length} convolutions.");
        }

        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        int norm = 0;
        for (int i = 0; i < imported.Length; i++)
        {
            Tensor weight = imported[i].Weight();
            Parameter target = convolutions[i].weight!;
            if (!weight.shape.SequenceEqual(target.shape))
            {
                throw GraphCursor.Mismatch(imported[i].Operator, $"its filter becomes [{string.Join(", ", weight.shape)}] in PyTorch's layout where the recognised network needs [{string.Join(", ", target.shape)}]");
            }

            target.copy_(weight);
            if (convolutions[i].bias is { } ownBias)
            {
                ownBias.copy_(imported[i].BiasOrZeros());
            }
            else
            {
                SetIdentity(norms[norm++], imported[i].BiasOrZeros());
            }
        }

        if (graph.Classifier is not { } classifier)
        {
            return;
        }

        Linear[] linears = [.. network.Classifier.modules().OfType<Linear>()];
        ImportedClassifier[] layers = [.. classifier.Layers];
        if (linears.Length != layers.Length)
        {
            throw new InvalidOperationException($"The network built for '{network.Spec.Name}' has {linears.Length} linear layers; the file's classifier has {layers.Length}.");
        }

        foreach ((Linear linear, ImportedClassifier layer) in linears.Zip(layers))
        {
            float[] values = Reading.ConstantTensors.ToFloat(layer.Weight);
            linear.weight!.copy_(tensor(values, [layer.Classes, layer.Features]));
            float[] bias = layer.Bias is null ? new float[layer.Classes] : Reading.ConstantTensors.ToFloat(layer.Bias);
            linear.bias!.copy_(tensor(bias, [layer.Classes]));
        }
    }

    private static void SetIdentity(BatchNormLayer norm, Tensor bias)
    {
        using Scalar unitScale = Math.Sqrt(1.0 + norm.Epsilon).ToScalar();
        norm.RunningMean.zero_();
        norm.RunningVariance.fill_(Scalars.One);
        norm.Weight.fill_(unitScale);
        norm.Bias.copy_(bias);
    }
}
