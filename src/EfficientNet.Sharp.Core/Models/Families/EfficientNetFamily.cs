using EfficientNet.Sharp.Scaling;
using EfficientNet.Sharp.Specs;
using EfficientNet.Sharp.Weights;

namespace EfficientNet.Sharp.Models.Families;

/// <summary>EfficientNet-B: scaled by φ; a TFLite file is named by the B variant that makes it.</summary>
internal static class EfficientNetFamily
{
    public static FamilyDescriptor Descriptor { get; } = new()
    {
        Family = NetworkFamily.EfficientNet,
        Reference = NetworkPresets.EfficientNetB0,
        Models =
        [
            .. Enumerable.Range(0, NetworkPresets.EfficientNetVariants).Select(variant => new RegisteredModel
            {
                Name = $"efficientnet_b{variant}",
                Aliases = [$"b{variant}"],
                Spec = new EfficientNetBuilder().WithPhi(variant).BuildSpec(),
                Weights = [.. EfficientNetWeights.All.Where(w => w.Architecture.Name == $"efficientnet_b{variant}").OrderBy(w => w == EfficientNetWeights.Default(variant) ? 0 : 1), LukemelasWeights.Get(variant)],
                Scaling = ModelScaling.Using(() => new EfficientNetBuilder().WithPhi(variant), (b, d) => b.WithDepth(d)),
            }),
        ],
        ScalesByPhi = true,
        TfLite = new TfLiteAssembly
        {
            Name = "efficientnet_tflite",
            Block = BlockKind.MBConv,
            Candidates = recognised => Enumerable.Range(0, NetworkPresets.EfficientNetVariants).SelectMany(phi => FamilyDescriptors.TryBuild(() => new EfficientNetBuilder()
                .WithPhi(phi).WithResolution(recognised.Resolution).WithInputChannels(recognised.InputChannels)
                .WithNumClasses(recognised.Classifier.NumClasses).WithBatchNorm(recognised.BatchNorm).WithPadding(recognised.Padding).BuildSpec())),
        },
    };
}
