using EfficientNet.Sharp.Inference;
using EfficientNet.Sharp.Specs;

namespace EfficientNet.Sharp.Weights;

/// <summary>One entry of torchvision's weight tables: the fields every family's catalog fills the same way.</summary>
internal static class TorchvisionWeights
{
    /// <summary>A torchvision checkpoint in torchvision's key layout, with its metadata as torchvision publishes it.</summary>
    public static PretrainedWeights Create(string name, string file, string sha256, NetworkSpec architecture, double top1, double top5, double gigaFlops, double megabytes, EvalTransform transform) => new()
    {
        Name = name,
        Source = WeightSource.Torchvision,
        FileName = file,
        Sha256 = sha256,
        Architecture = architecture,
        Layout = KeyLayout.Torchvision,
        Transform = transform,
        Top1Accuracy = top1,
        Top5Accuracy = top5,
        GigaFlops = gigaFlops,
        FileSizeMegabytes = megabytes,
    };
}
