using EfficientNet.Sharp.Blocks;
using EfficientNet.Sharp.Specs;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace EfficientNet.Sharp.Models;

/// <summary>
/// A network prepared for inference by <see cref="ConvNetwork.ForInference"/>: a copy with every
/// BatchNorm folded into the convolution before it, activations applied in place, optionally
/// channels-last tensors, and every call run under <c>torch.inference_mode</c>. Its outputs equal the
/// original's in eval mode (within float rounding). It cannot be trained, and its state dict is not a
/// checkpoint: save the original network instead.
/// </summary>
public sealed class InferenceNetwork : nn.Module<Tensor, Tensor>
{
    private readonly ConvNetwork network;

    internal InferenceNetwork(ConvNetwork source, bool channelsLast)
        : base($"{source.Spec.Name}_inference")
    {
        network = new ConvNetwork(source.Spec);
        network.load_state_dict(source.state_dict());
        network.Preprocessing = source.Preprocessing;
        network.ClassNames = source.ClassNames;
        network.eval();
        foreach (nn.Module module in network.modules())
        {
            switch (module)
            {
                case ConvNormActivation layer:
                    layer.FoldBatchNorm();
                    break;
                case BlockModule block:
                    block.FoldBatchNorm();
                    break;
            }
        }

        if (channelsLast)
        {
            using var noGrad = torch.no_grad();
            foreach (Conv2d conv in network.modules().OfType<Conv2d>())
            {
                conv.weight = new Parameter(ChannelsLastCopy(conv.weight!), requires_grad: false);
            }
        }

        ChannelsLast = channelsLast;
        RegisterComponents();

        // After registration, so that the folded weights and biases (new parameters) are included.
        foreach ((string _, Parameter parameter) in named_parameters())
        {
            parameter.requires_grad = false;
        }
    }

    /// <summary>The architecture.</summary>
    public NetworkSpec Spec => network.Spec;

    /// <summary>The folded network this copy runs.</summary>
    internal ConvNetwork Network => network;

    /// <summary>Whether inputs and weights are laid out channels-last (NHWC strides with NCHW shapes).</summary>
    public bool ChannelsLast { get; }

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        using var inference = torch.inference_mode();
        using var scope = torch.NewDisposeScope();
        Tensor x = ChannelsLast ? ToChannelsLast(input) : input;
        return network.call(x).MoveToOuterDisposeScope();
    }

    /// <summary>Runs only the feature extractor (see <see cref="ConvNetwork.ForwardFeatures(Tensor)"/>).</summary>
    /// <param name="input">An N × C × H × W image batch.</param>
    /// <returns>The last feature map; the caller owns it.</returns>
    public Tensor ForwardFeatures(Tensor input)
    {
        using var inference = torch.inference_mode();
        using var scope = torch.NewDisposeScope();
        Tensor x = ChannelsLast ? ToChannelsLast(input) : input;
        return network.ForwardFeatures(x).MoveToOuterDisposeScope();
    }

    /// <summary>The feature maps this copy offers as a backbone (see <see cref="NetworkSpec.FeatureInfo"/>).</summary>
    public IReadOnlyList<FeatureLevel> FeatureInfo => network.FeatureInfo;

    /// <summary>Runs the feature extractor once and returns the chosen levels' feature maps (see <see cref="ConvNetwork.ForwardFeatures(Tensor, IReadOnlyList{int})"/>).</summary>
    /// <param name="input">An N × C × H × W image batch.</param>
    /// <param name="levels">Indexes into <see cref="FeatureInfo"/>, each at most once.</param>
    /// <returns>One feature map per level, in channels-last memory layout when this copy is; the caller owns them.</returns>
    /// <exception cref="ArgumentException"><paramref name="levels"/> is empty, names a level twice or one that does not exist.</exception>
    public Tensor[] ForwardFeatures(Tensor input, IReadOnlyList<int> levels)
    {
        using var inference = torch.inference_mode();
        using var scope = torch.NewDisposeScope();
        Tensor x = ChannelsLast ? ToChannelsLast(input) : input;
        Tensor[] maps = network.ForwardFeatures(x, levels);
        foreach (Tensor map in maps)
        {
            map.MoveToOuterDisposeScope();
        }

        return maps;
    }

    /// <summary>A new tensor (not a view) holding the values of an N × C × H × W tensor with NHWC strides.</summary>
    private static Tensor ChannelsLastCopy(Tensor tensor)
    {
        long[] shape = tensor.shape;
        long[] strides = [shape[1] * shape[2] * shape[3], 1, shape[3] * shape[1], shape[1]];
        Tensor copy = torch.empty_strided(shape, strides, tensor.dtype, tensor.device);
        copy.copy_(tensor);
        return copy;
    }

    /// <summary>
    /// The same values with NHWC strides: TorchSharp has no memory-format argument, but libtorch keeps a
    /// tensor's layout through convolutions, so permuting, copying and permuting back is enough.
    /// </summary>
    private static Tensor ToChannelsLast(Tensor tensor)
    {
        using Tensor nhwc = tensor.permute(0, 2, 3, 1).contiguous();
        return nhwc.permute(0, 3, 1, 2);
    }
}
