using EfficientNet.Sharp.Specs;
using EfficientNet.Sharp.TfLite.Reading;
using EfficientNet.Sharp.TfLite.Schema;

namespace EfficientNet.Sharp.TfLite.Recognition;

// The walk through squeeze-and-excitation: its pooling, two 1×1 convolutions, gate and rescaling, as TensorFlow writes them.
internal static partial class GraphRecognizer
{
    private sealed partial class Walk
    {
        /// <summary>
        /// Squeeze-and-excitation as TensorFlow writes it: MEAN over height and width (optionally reshaped), a
        /// reducing 1×1 convolution with its activation, an expanding 1×1 convolution, the gate (see <see cref="Gate"/>),
        /// and a MUL of the block's tensor by the gate. <see langword="null"/> when no MEAN reads the tensor.
        /// </summary>
        private ImportedSqueeze? SqueezeExcitation()
        {
            int input = Current;
            int channels = Channels;
            TfLiteOperator? mean = cursor.Peek();
            if (!cursor.Consumes(mean, BuiltinOperator.Mean, Current))
            {
                return null;
            }

            if (!ReducesHeightAndWidth(mean!, out long[] axes))
            {
                throw GraphCursor.Mismatch(mean!, $"MEAN over axes [{string.Join(", ", axes)}] inside a block is not squeeze-and-excitation's pooling over height and width");
            }

            Advance(cursor.Take().Outputs[0], channels);
            SkipReshapes();
            ImportedConv reduce = Convolution(cursor.Expect(BuiltinOperator.Conv2D, Current, "squeeze-and-excitation's reducing 1×1 convolution"), depthwise: false);
            ImportedConv expand = Convolution(cursor.Expect(BuiltinOperator.Conv2D, Current, "squeeze-and-excitation's expanding 1×1 convolution"), depthwise: false);
            if (reduce.KernelSize != 1 || expand.KernelSize != 1 || expand.OutChannels != channels || expand.Activation != ActivationKind.Identity)
            {
                throw GraphCursor.Mismatch(expand.Operator, $"squeeze-and-excitation needs 1×1 convolutions back to {channels} channels before a sigmoid gate");
            }

            (int gate, bool hardSigmoid) = Gate();
            if (!cursor.Multiplies(cursor.Peek(), input, gate))
            {
                throw cursor.Mismatch($"a MUL of the block's tensor {input} by the squeeze-and-excitation gate {gate}");
            }

            Advance(cursor.Take().Outputs[0], channels);
            return new ImportedSqueeze(reduce, expand, hardSigmoid) { Output = Current };
        }

        /// <summary>
        /// Squeeze-and-excitation's gate on the tensor at the cursor: LOGISTIC (EfficientNet), or the hard sigmoid
        /// as Keras writes MobileNetV3's, ReLU6(x + 3) · 1/6 — an ADD of 3 (with RELU6 fused or after it), then a
        /// MUL by 1/6. Returns the gate tensor and whether it is the hard sigmoid.
        /// </summary>
        private (int Gate, bool HardSigmoid) Gate()
        {
            TfLiteOperator? op = cursor.Peek();
            if (cursor.Consumes(op, BuiltinOperator.Logistic, Current))
            {
                return (OutputOf(cursor.Take()), false);
            }

            if (op is null || !op.Is(BuiltinOperator.Add) || ScalarOperand(op, Current) is not { } three || Math.Abs(three - 3) > 1e-3)
            {
                throw cursor.Mismatch("squeeze-and-excitation's gate: LOGISTIC, or a hard sigmoid (ADD 3, RELU6, MUL 1/6)");
            }

            bool fusedRelu6 = op.Options.Activation == FusedActivation.Relu6;
            if (!fusedRelu6 && op.Options.Activation != FusedActivation.None)
            {
                throw GraphCursor.Mismatch(op, $"a hard sigmoid's ADD has fused {op.Options.Activation}; only RELU6 fits");
            }

            int x = OutputOf(cursor.Take());
            if (!fusedRelu6)
            {
                x = OutputOf(cursor.Expect(BuiltinOperator.Relu6, x, "the hard sigmoid's RELU6"));
            }

            TfLiteOperator? sixth = cursor.Peek();
            if (sixth is null || !sixth.Is(BuiltinOperator.Mul) || ScalarOperand(sixth, x) is not { } factor
                || Math.Abs(factor - (1 / 6.0)) > 1e-4 || sixth.Options.Activation != FusedActivation.None)
            {
                throw cursor.Mismatch($"the hard sigmoid's MUL of tensor {x} by 1/6");
            }

            return (OutputOf(cursor.Take()), true);
        }

        /// <summary>The value of the one-element constant that <paramref name="op"/> combines <paramref name="tensor"/> with, or <see langword="null"/>.</summary>
        private double? ScalarOperand(TfLiteOperator op, int tensor) =>
            cursor.ConstantOperand(op, tensor) is { ElementCount: 1 } constant ? ConstantTensors.ToFloat(constant)[0] : null;

        /// <summary>Whether a MEAN reduces over height and width (axes 1 and 2 of NHWC); <paramref name="axes"/> says which it reduces.</summary>
        private bool ReducesHeightAndWidth(TfLiteOperator mean, out long[] axes)
        {
            axes = mean.Inputs.Length > 1 ? ConstantTensors.ToIntegers(cursor.Tensor(mean.Inputs[1])) : [];
            return axes.Order().SequenceEqual([1L, 2L]);
        }
    }
}
