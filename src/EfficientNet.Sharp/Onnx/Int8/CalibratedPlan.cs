using EfficientNet.Sharp.Blocks;
using EfficientNet.Sharp.Onnx.Quantization;
using EfficientNet.Sharp.Specs;

namespace EfficientNet.Sharp.Onnx.Int8;

/// <summary>
/// A float network's quantization from calibration: uint8 activations per tensor with the calibrated ranges (which
/// always include 0, so zero padding is exact), and weights symmetric per output channel stored as uint8 around a zero
/// point of 128 (−127…127 shifted). Why not int8 weights: on x64 without VNNI (AVX2 only, as on the machine this was
/// measured on), ONNX Runtime multiplies uint8 by int8 with an instruction that saturates pairs of products at 16 bits;
/// measured on Coral's MobileNetV1, the fused int8 kernels then fell 3 dB of signal-to-noise below what the file
/// specifies, while uint8 × uint8 computed it exactly. Points after SiLU and hard-swish stay float unless full integer
/// is asked for.
/// </summary>
internal sealed class CalibratedPlan(IReadOnlyDictionary<string, ActivationQuantization> activations) : IQuantizationPlan
{
    public ActivationQuantization? Activation(string point) => activations.GetValueOrDefault(point);

    public WeightQuantization? Weight(string path, WeightArray weight)
    {
        WeightQuantization symmetric = WeightQuantization.SymmetricPerChannel(weight);
        return symmetric with { ZeroPoints = [.. symmetric.ZeroPoints.Select(_ => UnsignedWeightZeroPoint)], Signed = false };
    }

    /// <summary>The stored value of a zero weight: the middle of uint8, so the grid is symmetric (1…255 for −127…127 steps).</summary>
    private const int UnsignedWeightZeroPoint = 128;

    /// <summary>uint8 parameters whose grid covers [low, high] and holds 0 exactly.</summary>
    public static ActivationQuantization Uint8(float low, float high)
    {
        low = Math.Min(low, 0);
        high = Math.Max(high, 0);
        float scale = Math.Max((high - low) / byte.MaxValue, 1e-8f);
        int zeroPoint = Math.Clamp((int)MathF.Round(-low / scale), byte.MinValue, byte.MaxValue);
        return new ActivationQuantization(scale, zeroPoint, Signed: false);
    }

    /// <summary>The points int8 is known to hurt, with the reason: outputs of SiLU and hard-swish (smooth curves whose negative tail and knee a 256-level grid flattens).</summary>
    public static IReadOnlyDictionary<string, string> FloatByDefault(NetworkSpec spec)
    {
        var points = new Dictionary<string, string>(StringComparer.Ordinal);
        void Consider(string convPath, ActivationKind activation)
        {
            if (activation is ActivationKind.SiLU or ActivationKind.Hardswish)
            {
                points[QuantizationPoints.Layer(convPath)] = $"{activation} output";
            }
        }

        Consider($"{ModulePaths.Stem}.0", spec.Stem.Activation);
        foreach (BlockSpec block in spec.Blocks)
        {
            string at = ModulePaths.Block(spec, block);
            foreach (BlockLayer layer in BlockLayers.Of(block).Where(layer => layer.Shape == LayerShape.ConvNormActivation))
            {
                Consider($"{at}.{layer.Path}.0", layer.Activation);
            }
        }

        if (spec.Head is { } head)
        {
            Consider($"{ModulePaths.Head(spec)}.0", head.Activation);
        }

        if (spec.Classifier.HiddenChannels is not null)
        {
            points[QuantizationPoints.Layer(ModulePaths.ClassifierHidden)] = $"{ActivationKind.Hardswish} output";
        }

        return points;
    }
}
