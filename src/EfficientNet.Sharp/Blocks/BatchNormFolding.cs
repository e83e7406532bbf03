using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace EfficientNet.Sharp.Blocks;

/// <summary>Folds an inference-mode BatchNorm into the convolution before it.</summary>
internal static class BatchNormFolding
{
    /// <summary>The convolution's new weight and bias; its BatchNorm can then be skipped.</summary>
    /// <remarks>
    /// w' = w · γ / √(σ² + ε) per output channel and b' = (b − μ) · γ / √(σ² + ε) + β, as PyTorch's
    /// <c>fuse_conv_bn_weights</c> computes them (TorchSharp's port adds ε through an implicit Scalar, see <see cref="Scalars"/>).
    /// </remarks>
    public static (Parameter Weight, Parameter Bias) Fold(Conv2d conv, BatchNormLayer norm)
    {
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        using Scalar epsilon = norm.Epsilon.ToScalar();
        Tensor weight = conv.weight!;
        Tensor scale = norm.RunningVariance.add(epsilon, Scalars.One).rsqrt_().mul_(norm.Weight);
        Tensor foldedWeight = weight.mul(scale.reshape(-1, 1, 1, 1));
        Tensor bias = conv.bias is { } b ? b.sub(norm.RunningMean) : norm.RunningMean.neg();
        Tensor foldedBias = bias.mul_(scale).add_(norm.Bias, Scalars.One);
        return scope.MoveToOuter(new Parameter(foldedWeight, weight.requires_grad), new Parameter(foldedBias, weight.requires_grad));
    }
}
