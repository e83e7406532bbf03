using EfficientNet.Sharp.TfLite.Reading;
using EfficientNet.Sharp.TfLite.Schema;

namespace EfficientNet.Sharp.TfLite.Recognition;

/// <summary>
/// Reads the chain of MUL, ADD, SUB (input − constant) and DIV (input / constant) by scalar or per-channel
/// constants that some converters put between the image input and the stem, and composes it into one
/// per-channel affine map.
/// </summary>
internal static class LeadingAffine
{
    private static readonly BuiltinOperator[] Arithmetic = [BuiltinOperator.Mul, BuiltinOperator.Add, BuiltinOperator.Sub, BuiltinOperator.Div];

    /// <summary>
    /// Takes the chain's operators from the cursor, starting at <paramref name="input"/>; returns the map and
    /// the tensor after it, or <see langword="null"/> (nothing taken) when the next operator is not one of them.
    /// </summary>
    public static (TfLiteInputNormalization Map, int Output)? Read(GraphCursor cursor, int input, int channels)
    {
        double[] scale = [.. Enumerable.Repeat(1.0, channels)];
        double[] offset = new double[channels];
        var names = new List<string>();
        int current = input;
        while (cursor.Peek() is { } op && Arithmetic.Any(op.Is)
            && cursor.ConstantOperand(op, current, tensorFirst: op.Is(BuiltinOperator.Sub) || op.Is(BuiltinOperator.Div)) is { } constant)
        {
            if (op.Options.Activation != FusedActivation.None)
            {
                throw GraphCursor.Mismatch(op, "an input normalisation with a fused activation is not an affine map");
            }

            double[] values = PerChannel(op, constant, channels);
            for (int c = 0; c < channels; c++)
            {
                (scale[c], offset[c]) = (BuiltinOperator)op.Code switch
                {
                    BuiltinOperator.Mul => (scale[c] * values[c], offset[c] * values[c]),
                    BuiltinOperator.Add => (scale[c], offset[c] + values[c]),
                    BuiltinOperator.Sub => (scale[c], offset[c] - values[c]),
                    BuiltinOperator.Div => (scale[c] / values[c], offset[c] / values[c]),
                    _ => throw new NotSupportedException($"{op} is not an arithmetic operator of an input normalisation."),
                };
            }

            names.Add(op.Name);
            current = cursor.Resolve(cursor.Take().Outputs[0]);
        }

        if (names.Count == 0)
        {
            return null;
        }

        if (scale.Any(s => !(s > 0) || !double.IsFinite(s)) || offset.Any(o => !double.IsFinite(o)))
        {
            throw new TfLiteImportException($"The input normalisation ({string.Join(", ", names)}) multiplies by [{string.Join(", ", scale)}]: only a positive, finite scale per channel can be folded into the preprocessing.");
        }

        return (new TfLiteInputNormalization(scale, offset, string.Join(", ", names)), current);
    }

    /// <summary>A scalar broadcast to every channel, or one value per channel along the last (NHWC) axis.</summary>
    private static double[] PerChannel(TfLiteOperator op, TfLiteTensor constant, int channels)
    {
        float[] values = ConstantTensors.ToFloat(constant);
        bool lastAxisOnly = constant.Shape.Length == 0 || constant.Shape[..^1].All(d => d == 1);
        if (values.Length == 1 && lastAxisOnly)
        {
            return [.. Enumerable.Repeat((double)values[0], channels)];
        }

        if (values.Length == channels && lastAxisOnly)
        {
            return [.. values.Select(v => (double)v)];
        }

        throw GraphCursor.Mismatch(op, $"its constant {constant.Describe()} is neither one value nor one per input channel ({channels})");
    }
}
