using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace EfficientNet.Sharp.Blocks;

/// <summary>Folds an inference-mode BatchNorm into the convolution before it.</summary>
internal static class BatchNormFolding
{
    /// <summary>The convolution's new weight and bias; its BatchNorm can then be skipped.</summary>
    public static (Parameter Weight, Parameter Bias) Fold(Conv2d conv, BatchNorm2d norm)
    {
        using var noGrad = torch.no_grad();
        return nn.utils.fuse_conv_bn_weights(conv.weight!, conv.bias, norm.running_mean!, norm.running_var!, norm.eps, norm.weight, norm.bias);
    }
}
