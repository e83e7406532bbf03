namespace EfficientNet.Sharp.Analysis;

/// <summary>One weighted layer of a network and what it costs, computed from the spec.</summary>
public sealed record LayerCost
{
    internal LayerCost(string path, string part, LayerKind kind, int inChannels, int outChannels, int kernelSize, int stride, int groups, int inputHeight, int inputWidth, int outputHeight, int outputWidth, long parameters, long multiplyAccumulates)
    {
        Path = path;
        Part = part;
        Kind = kind;
        InChannels = inChannels;
        OutChannels = outChannels;
        KernelSize = kernelSize;
        Stride = stride;
        Groups = groups;
        InputHeight = inputHeight;
        InputWidth = inputWidth;
        OutputHeight = outputHeight;
        OutputWidth = outputWidth;
        Parameters = parameters;
        MultiplyAccumulates = multiplyAccumulates;
    }

    /// <summary>The module path of the convolution or linear layer, as in state_dict keys (<c>features.2.0.block.1.0</c>).</summary>
    public string Path { get; init; }

    /// <summary>Which part of the network the layer belongs to (<c>stem</c>, <c>stage 3</c>, <c>head</c>, <c>classifier</c>).</summary>
    public string Part { get; init; }

    /// <summary>The kind of layer.</summary>
    public LayerKind Kind { get; init; }

    /// <summary>Input channels.</summary>
    public int InChannels { get; init; }

    /// <summary>Output channels.</summary>
    public int OutChannels { get; init; }

    /// <summary>Square kernel size in pixels (1 for linear layers).</summary>
    public int KernelSize { get; init; }

    /// <summary>Stride.</summary>
    public int Stride { get; init; }

    /// <summary>Convolution groups (channels for a depthwise convolution).</summary>
    public int Groups { get; init; }

    /// <summary>Input height in pixels (1 for linear and squeeze-and-excitation layers).</summary>
    public int InputHeight { get; init; }

    /// <summary>Input width in pixels.</summary>
    public int InputWidth { get; init; }

    /// <summary>Output height in pixels.</summary>
    public int OutputHeight { get; init; }

    /// <summary>Output width in pixels.</summary>
    public int OutputWidth { get; init; }

    /// <summary>Learnable parameters: weights, bias, and the γ and β of the BatchNorm that follows, if any.</summary>
    public long Parameters { get; init; }

    /// <summary>Multiply-accumulates for one image: output pixels × output channels × input channels per group × k².</summary>
    public long MultiplyAccumulates { get; init; }
}
