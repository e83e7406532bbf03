using EfficientNet.Sharp.Inference;
using EfficientNet.Sharp.Scaling;
using EfficientNet.Sharp.Specs;

namespace EfficientNet.Sharp.Weights;

/// <summary>
/// lukemelas' EfficientNet-PyTorch checkpoints: Google's TensorFlow B0–B7 weights ported to PyTorch,
/// in lukemelas' key layout. They expect TensorFlow "SAME" padding and TensorFlow's BatchNorm settings,
/// which <see cref="PretrainedWeights.Architecture"/> carries. Top-1 figures are those of lukemelas' README
/// (the first version of the paper).
/// </summary>
public static class LukemelasWeights
{
    private static readonly (string Hash, double Top1)[] Published =
        [("355c32eb", 76.3), ("f1951068", 78.8), ("8bb594d6", 79.8), ("5fb5a3c3", 81.1), ("6ed6700e", 82.6), ("b6417697", 83.3), ("c76e70fd", 84.0), ("dcc49843", 84.4)];

    /// <summary>B0…B7, in order.</summary>
    public static IReadOnlyList<PretrainedWeights> All { get; } = [.. Enumerable.Range(0, Specs.NetworkPresets.EfficientNetVariants).Select(Create)];

    /// <summary>The checkpoint of EfficientNet-B<paramref name="variant"/>.</summary>
    /// <param name="variant">0…7.</param>
    /// <returns>The checkpoint.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="variant"/> is outside 0…7.</exception>
    public static PretrainedWeights Get(int variant)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(variant);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(variant, 7);
        return All[variant];
    }

    private static PretrainedWeights Create(int variant)
    {
        NetworkSpec spec = new EfficientNetBuilder()
            .WithPhi(variant)
            .WithPadding(PaddingMode.TensorFlowSame)
            .WithBatchNorm(BatchNormSpec.TensorFlowPorted)
            .BuildSpec();
        return new PretrainedWeights
        {
            Name = $"Lukemelas.EfficientNet_B{variant}",
            Source = WeightSource.Lukemelas,
            FileName = $"efficientnet-b{variant}-{Published[variant].Hash}.pth",
            Sha256 = Published[variant].Hash,
            Architecture = spec,
            Layout = KeyLayout.Lukemelas,
            Transform = EvalTransform.ImageNet(spec.Resolution, spec.Resolution, Interpolation.Bicubic),
            Top1Accuracy = Published[variant].Top1,
            Remarks = "Evaluated in the port's README with resizing to the native size and a full crop; bicubic resizing is what reproduces torchvision's reported accuracy for these weights.",
        };
    }
}
