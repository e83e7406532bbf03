using TorchSharp.Modules;

namespace EfficientNet.Sharp.Training;

/// <summary>A parameter as the optimizer sees it: its state_dict name and whether weight decay applies.</summary>
/// <param name="Name">The parameter's name in the network's state_dict.</param>
/// <param name="Parameter">The parameter.</param>
/// <param name="Decays">
/// Whether weight decay applies: not to BatchNorm scales and shifts nor to biases (every parameter of one
/// dimension or none), as timm and the EfficientNet training recipes leave them out.
/// </param>
internal sealed record TrainableParameter(string Name, Parameter Parameter, bool Decays)
{
    public static TrainableParameter[] Of(TorchSharp.torch.nn.Module network) =>
        network.named_parameters().Select(pair => new TrainableParameter(pair.name, pair.parameter, pair.parameter.dim() > 1)).ToArray();
}
