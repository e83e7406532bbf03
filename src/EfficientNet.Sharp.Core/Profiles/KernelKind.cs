namespace EfficientNet.Sharp.Profiles;

/// <summary>
/// The operator patterns a network's inference graph is made of, each timed on its own by a device profile: the
/// latency predictor sums them. Convolutions are timed with their bias (BatchNorm folded) and no activation; ReLU and
/// ReLU6 are fused into them by ONNX Runtime, and SiLU and hard-swish are timed as elementwise kernels of their own.
/// </summary>
public enum KernelKind
{
    /// <summary>A 1 × 1 convolution, stride 1 (expansions, projections, heads): input channels, output channels, map size.</summary>
    PointwiseConvolution,

    /// <summary>A k × k convolution over all input channels (stems, EfficientNetV2's fused blocks): input and output channels, map size, k, stride.</summary>
    DenseConvolution,

    /// <summary>A k × k depthwise convolution: channels, map size, k, stride.</summary>
    DepthwiseConvolution,

    /// <summary>Squeeze-and-excitation on a map: pooling, two 1 × 1 convolutions, the gate, the rescaling; channels and map size.</summary>
    SqueezeExcitation,

    /// <summary>SiLU (x · sigmoid x) over a tensor of a number of elements.</summary>
    SiLU,

    /// <summary>Hard-swish over a tensor of a number of elements.</summary>
    Hardswish,

    /// <summary>A residual addition of two tensors of a number of elements.</summary>
    Add,

    /// <summary>Global average pooling of a map (and the flatten after it): channels and map size.</summary>
    GlobalPool,

    /// <summary>A fully connected layer on one vector: input and output features.</summary>
    Linear,

    /// <summary>One run of a graph that does nothing: the runtime's fixed cost per call, paid once per network.</summary>
    RunOverhead,
}
