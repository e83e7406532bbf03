using EfficientNet.Sharp.Specs;
using EfficientNet.Sharp.TfLite.Reading;
using EfficientNet.Sharp.TfLite.Schema;

namespace EfficientNet.Sharp.TfLite.Recognition;

// The walk through the end of the graph: the 1×1 head, global pooling, the classifier's dense layers and the optional softmax.
internal static partial class GraphRecognizer
{
    private sealed partial class Walk
    {
        /// <summary>A 1×1 convolution at the cursor followed by a global pool is the head (MobileNetV2, EfficientNet-Lite).</summary>
        public bool StartsHead()
        {
            if (!IsPointwise(cursor.Peek()))
            {
                return false;
            }

            (TfLiteOperator? reader, int output) = ReaderOfPointwise();
            return cursor.Consumes(reader, BuiltinOperator.AveragePool2D, output) || cursor.Consumes(reader, BuiltinOperator.Mean, output);
        }

        public void GlobalPool()
        {
            TfLiteTensor map = cursor.Tensor(Current);
            TfLiteOperator? op = cursor.Peek();
            if (cursor.Consumes(op, BuiltinOperator.AveragePool2D, Current))
            {
                TfLiteTensor output = cursor.Tensor(op!.Outputs[0]);
                bool global = map.Shape is [_, int h, int w, _] && op.Options.FilterHeight == h && op.Options.FilterWidth == w
                    && output.Shape.Length == 4 && output.Shape[1] == 1 && output.Shape[2] == 1;
                if (!global || op.Options.Activation != FusedActivation.None)
                {
                    throw GraphCursor.Mismatch(op, $"only a global average pool (a {Describe(map.Shape)} window, one output pixel, no activation) fits here");
                }
            }
            else if (cursor.Consumes(op, BuiltinOperator.Mean, Current))
            {
                if (!ReducesHeightAndWidth(op!, out long[] axes))
                {
                    throw GraphCursor.Mismatch(op!, $"MEAN over axes [{string.Join(", ", axes)}] is not a global pool over height and width (axes [1, 2])");
                }
            }
            else
            {
                throw cursor.Mismatch($"a global AVERAGE_POOL_2D or MEAN over the {Describe(map.Shape)} feature map");
            }

            Advance(cursor.Take().Outputs[0], Channels);
            SkipReshapes();
        }

        /// <summary>
        /// The classifier: one dense layer (a 1×1 CONV_2D or FULLY_CONNECTED) to the class scores, or — MobileNetV3 —
        /// a hidden dense layer with hard-swish before it.
        /// </summary>
        public ImportedClassifier Classifier()
        {
            ImportedClassifier first = Dense(out ActivationKind activation);
            if (!IsDense(cursor.Peek()))
            {
                if (activation != ActivationKind.Identity)
                {
                    throw GraphCursor.Mismatch(first.Operator, $"the classifier ends with {activation}; class scores are linear");
                }

                return first;
            }

            if (activation != ActivationKind.Hardswish)
            {
                throw GraphCursor.Mismatch(first.Operator, $"a hidden classifier layer with {activation} (MobileNetV3's has hard-swish)");
            }

            ImportedClassifier last = Dense(out ActivationKind lastActivation);
            if (lastActivation != ActivationKind.Identity)
            {
                throw GraphCursor.Mismatch(last.Operator, $"the classifier ends with {lastActivation}; class scores are linear");
            }

            return last with { Hidden = first };
        }

        private bool IsDense(TfLiteOperator? op) =>
            cursor.Consumes(op, BuiltinOperator.Conv2D, Current) || cursor.Consumes(op, BuiltinOperator.FullyConnected, Current);

        /// <summary>A dense layer over the pooled features at the cursor, with its activation (fused, or an operator of its own).</summary>
        private ImportedClassifier Dense(out ActivationKind activation)
        {
            TfLiteOperator? op = cursor.Peek();
            bool convolution = cursor.Consumes(op, BuiltinOperator.Conv2D, Current);
            if (!IsDense(op))
            {
                throw cursor.Mismatch($"the classifier (a 1×1 CONV_2D or FULLY_CONNECTED over the {Channels} pooled features)");
            }

            cursor.Take();
            TfLiteTensor weight = Constant(op!, 1, "classifier weights");
            bool fits = convolution
                ? weight.Shape is [_, 1, 1, int inConv] && inConv == Channels
                : weight.Shape is [_, int inDense] && inDense == Channels;
            if (!fits || op!.Options.Activation is not (FusedActivation.None or FusedActivation.Relu or FusedActivation.Relu6))
            {
                throw GraphCursor.Mismatch(op!, $"classifier weights {Describe(weight.Shape)} with activation {op!.Options.Activation} do not map {Channels} features to class scores");
            }

            int features = Channels;
            int outputs = weight.Shape[0];
            TfLiteTensor? bias = OptionalBias(op!, outputs);
            Advance(op!.Outputs[0], outputs);
            activation = ActivationOf(op!, op!.Options.Activation);
            if (activation == ActivationKind.Identity)
            {
                activation = StandaloneActivation();
            }

            SkipReshapes();
            return new ImportedClassifier(op!, weight, bias, features, outputs) { Output = Current };
        }

        public void OptionalSoftmax()
        {
            TfLiteOperator? op = cursor.Peek();
            if (!cursor.Consumes(op, BuiltinOperator.Softmax, Current))
            {
                return;
            }

            // Our networks return logits and ImageClassifier applies softmax(logits); a β ≠ 1 would need other logits.
            if (op!.Options.SoftmaxBeta != 1f)
            {
                throw GraphCursor.Mismatch(op, $"SOFTMAX with β = {op.Options.SoftmaxBeta} is not supported (only β = 1)");
            }

            Advance(cursor.Take().Outputs[0], Channels);
            SkipReshapes();
        }
    }
}
