using EfficientNet.Sharp.Blocks;
using EfficientNet.Sharp.Onnx.Int8;
using EfficientNet.Sharp.Specs;

namespace EfficientNet.Sharp.Onnx.Quantization;

/// <summary>
/// A float network's quantization from calibration: uint8 activations per tensor with the calibrated ranges (which
/// always include 0, so zero padding is exact), and weights symmetric per output channel in the chosen
/// <see cref="Int8WeightFormat"/> (reduced-range int8 by default: measured on this AVX2-only machine, full-range int8
/// made ONNX Runtime's fused kernels fall 3 dB of signal-to-noise below what the file specifies on Coral's
/// MobileNetV1, uint8 was exact but MobileNetV2 ran at 1.21× the float time, reduced-range int8 was exact and ran at
/// 0.73×). Points after SiLU and hard-swish stay float unless full integer is asked for (<see cref="FloatByDefault"/>),
/// and so do the class scores (<see cref="OutputPoint"/>).
/// </summary>
internal sealed class CalibratedPlan : IQuantizationPlan
{
    private readonly Func<string, ActivationQuantization?> activation;
    private readonly Int8WeightFormat weights;

    private CalibratedPlan(Func<string, ActivationQuantization?> activation, Int8WeightFormat weights)
    {
        this.activation = activation;
        this.weights = weights;
    }

    /// <summary>The plan with calibrated activations (points absent from <paramref name="activations"/> stay float).</summary>
    public static CalibratedPlan FromRanges(IReadOnlyDictionary<string, ActivationQuantization> activations, Int8WeightFormat weights) => new(activations.GetValueOrDefault, weights);

    /// <summary>
    /// The plan a timing needs (a device fit's int8 candidates): the calibrated plan's structure — the same points
    /// quantized, the same ones float — with one made-up range everywhere, since ranges change values, not speed.
    /// </summary>
    public static CalibratedPlan ForTiming(NetworkSpec spec, bool fullInteger = false, Int8WeightFormat weights = Int8WeightFormat.ReducedRange)
    {
        IReadOnlyDictionary<string, string> floats = fullInteger ? new Dictionary<string, string>() : FloatByDefault(spec);
        IReadOnlyDictionary<string, ActivationKind> activations = LayerActivations(spec);
        string output = OutputPoint(spec);

        // A ReLU's range starts at 0, as calibration would find: ONNX Runtime then drops the Clip between convolution and
        // quantization and fuses the two (with a range below 0 the Clip stays and the convolution runs in float).
        ActivationQuantization rectified = Uint8(0, 6), signed = Uint8(-8, 8);
        return new(
            point => point == output || floats.ContainsKey(point) ? null
                : activations.GetValueOrDefault(point) is ActivationKind.ReLU or ActivationKind.ReLU6 ? rectified : signed,
            weights);
    }

    /// <summary>The network's output (the class scores, or a headless network's pooled features): what the caller reads, kept float.</summary>
    public static string OutputPoint(NetworkSpec spec) =>
        spec.Classifier.IsHeadless ? QuantizationPoints.Pooled : QuantizationPoints.Layer(ModulePaths.ClassifierOutput(spec));

    public ActivationQuantization? Activation(string point) => activation(point);

    public WeightQuantization? Weight(string path, WeightArray weight)
    {
        WeightQuantization symmetric = WeightQuantization.SymmetricPerChannel(weight);
        return weights switch
        {
            Int8WeightFormat.Full => symmetric,
            Int8WeightFormat.ReducedRange => symmetric with { Scales = [.. symmetric.Scales.Select(scale => scale * sbyte.MaxValue / ReducedRangeLimit)] },
            Int8WeightFormat.Unsigned => symmetric with { ZeroPoints = [.. symmetric.ZeroPoints.Select(_ => UnsignedWeightZeroPoint)], Signed = false },
            _ => throw new ArgumentOutOfRangeException(nameof(weight), weights, "Unknown weight format."),
        };
    }

    /// <summary>The largest stored magnitude of a reduced-range weight: 7 bits, so two products of uint8 × int8 fit 16 bits.</summary>
    private const int ReducedRangeLimit = 63;

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
    public static IReadOnlyDictionary<string, string> FloatByDefault(NetworkSpec spec) =>
        LayerActivations(spec).Where(p => p.Value is ActivationKind.SiLU or ActivationKind.Hardswish)
            .ToDictionary(p => p.Key, p => $"{p.Value} output", StringComparer.Ordinal);

    /// <summary>Each layer's quantization point with the activation its value comes out of (the stem, every block layer with an activation, the head, MobileNetV3's hidden classifier layer).</summary>
    public static IReadOnlyDictionary<string, ActivationKind> LayerActivations(NetworkSpec spec)
    {
        var points = new Dictionary<string, ActivationKind>(StringComparer.Ordinal)
        {
            [QuantizationPoints.ConvNormActivation(ModulePaths.Stem)] = spec.Stem.Activation,
        };
        foreach (BlockSpec block in spec.Blocks)
        {
            string at = ModulePaths.Block(spec, block);
            foreach (BlockLayer layer in BlockLayers.Of(block).Where(layer => layer.Shape == LayerShape.ConvNormActivation))
            {
                points[QuantizationPoints.BlockLayer(at, layer)] = layer.Activation;
            }
        }

        if (spec.Head is { } head)
        {
            points[QuantizationPoints.ConvNormActivation(ModulePaths.Head(spec))] = head.Activation;
        }

        if (spec.Classifier.HiddenChannels is not null)
        {
            points[QuantizationPoints.Layer(ModulePaths.ClassifierHidden)] = ActivationKind.Hardswish;
        }

        return points;
    }
}
