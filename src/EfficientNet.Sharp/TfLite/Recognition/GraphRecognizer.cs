using EfficientNet.Sharp.Specs;
using EfficientNet.Sharp.TfLite.Reading;
using EfficientNet.Sharp.TfLite.Schema;

namespace EfficientNet.Sharp.TfLite.Recognition;

/// <summary>
/// Reads a graph as the one shape all these families share — an optional in-graph input normalisation,
/// stem convolution, a chain of depthwise blocks, an optional 1×1 head, global average pooling, and a fully
/// connected classifier with an optional softmax (or nothing more: a headless feature extractor) — and
/// checks every operator's kind, inputs and options on the way. The first operator that does not fit
/// ends the walk with an error that names it.
/// </summary>
internal static partial class GraphRecognizer
{
    public static RecognizedGraph Recognize(TfLiteGraph graph)
    {
        ArgumentNullException.ThrowIfNull(graph);
        if (graph.Inputs.Length != 1 || graph.Outputs.Length != 1)
        {
            throw new TfLiteImportException($"The graph has {graph.Inputs.Length} inputs and {graph.Outputs.Length} outputs; an image classifier has one of each.");
        }

        var cursor = new GraphCursor(graph);
        TfLiteTensor input = graph.Tensors[graph.Inputs[0]];
        if (input.Shape is not [1, int height, int width, _] || height != width)
        {
            throw new TfLiteImportException($"The input {input.Describe()} is not one square NHWC image [1, H, H, C].");
        }

        (TfLiteInputNormalization Map, int Output)? normalization = LeadingAffine.Read(cursor, input.Index, input.Shape[3]);
        var walk = new Walk(cursor, normalization?.Output ?? input.Index, input.Shape[3]);
        ImportedConv stem = walk.Convolution(cursor.Expect(BuiltinOperator.Conv2D, walk.Current, "stem"), depthwise: false);

        var blocks = new List<ImportedBlock>();
        while (walk.NextBlock() is { } block)
        {
            blocks.Add(block);
        }

        if (blocks.Count == 0)
        {
            throw cursor.Mismatch("the first block after the stem (a DEPTHWISE_CONV_2D, or a 1×1 CONV_2D expanding into one)");
        }

        ImportedConv? head = walk.StartsHead() ? walk.Convolution(cursor.Take(), depthwise: false) : null;
        walk.GlobalPool();
        int pooled = walk.Current;

        // A graph that ends at the pooled features is a headless feature extractor.
        ImportedClassifier? classifier = cursor.AtEnd ? null : walk.Classifier();
        if (classifier is not null)
        {
            walk.OptionalSoftmax();
        }

        if (!cursor.AtEnd)
        {
            throw cursor.Mismatch("the end of the graph after the classifier");
        }

        if (cursor.Resolve(graph.Outputs[0]) != walk.Current)
        {
            throw new TfLiteImportException($"The graph's output is tensor {graph.Outputs[0]}, not the {(classifier is null ? "pooled features" : "classifier's output")} (tensor {walk.Current}).");
        }

        return new RecognizedGraph(input, normalization?.Map, stem, blocks, head, classifier) { Pooled = pooled };
    }

    /// <summary>The walk's state: the activation tensor reached so far and its channel count.</summary>
    private sealed partial class Walk(GraphCursor cursor, int current, int channels)
    {
        public int Current { get; private set; } = current;

        private int Channels { get; set; } = channels;

        /// <summary>The next block, or <see langword="null"/> when the operator at the cursor does not start one.</summary>
        public ImportedBlock? NextBlock()
        {
            int blockInput = Current;
            ImportedConv? expand = null;
            if (IsPointwise(cursor.Peek()) && ReaderOfPointwise() is (var reader, int expanded) && cursor.Consumes(reader, BuiltinOperator.DepthwiseConv2D, expanded))
            {
                expand = Convolution(cursor.Take(), depthwise: false);
            }
            else if (!cursor.Consumes(cursor.Peek(), BuiltinOperator.DepthwiseConv2D, Current))
            {
                return null;
            }

            ImportedConv depthwise = Convolution(cursor.Take(), depthwise: true);
            ImportedSqueeze? squeeze = SqueezeExcitation();
            TfLiteOperator projectOp = cursor.Expect(BuiltinOperator.Conv2D, Current, "1×1 convolution after the depthwise convolution");
            ImportedConv project = Convolution(projectOp, depthwise: false);
            if (project.KernelSize != 1)
            {
                throw GraphCursor.Mismatch(projectOp, $"a {project.KernelSize}×{project.KernelSize} convolution follows a depthwise convolution where a 1×1 convolution belongs");
            }

            if (expand is not null && project.Activation != ActivationKind.Identity)
            {
                throw GraphCursor.Mismatch(projectOp, "the projection of an expanded block has an activation; MobileNetV2 and EfficientNet-Lite project linearly");
            }

            bool residual = TryResidual(blockInput);
            return new ImportedBlock(expand, depthwise, squeeze, project, residual) { Output = Current };
        }

        /// <summary>Reads and checks a convolution that the cursor has just taken, and moves the walk to its output.</summary>
        public ImportedConv Convolution(TfLiteOperator op, bool depthwise)
        {
            TfLiteTensor filter = Constant(op, 1, depthwise ? "depthwise filter" : "filter");
            if (filter.Shape is not [int outChannels, int kh, int kw, int inChannels])
            {
                throw GraphCursor.Mismatch(op, $"its filter {Describe(filter.Shape)} is not 4-dimensional");
            }

            if (depthwise ? (outChannels != 1 || inChannels != Channels) : inChannels != Channels)
            {
                throw GraphCursor.Mismatch(op, depthwise
                    ? $"its filter {Describe(filter.Shape)} is not one k×k filter per input channel ({Channels} channels, depth multiplier 1)"
                    : $"its filter {Describe(filter.Shape)} expects {inChannels} input channels but the tensor before it has {Channels} (grouped convolutions are not supported)");
            }

            OperatorOptions options = op.Options;
            if (kh != kw || kh % 2 == 0 || options.StrideHeight != options.StrideWidth || options.StrideHeight is not (1 or 2)
                || options.DilationHeight != 1 || options.DilationWidth != 1)
            {
                throw GraphCursor.Mismatch(op, $"only square odd kernels with equal strides of 1 or 2 and no dilation are supported (kernel {kh}×{kw}, stride {options.StrideHeight}×{options.StrideWidth}, dilation {options.DilationHeight}×{options.DilationWidth})");
            }

            // VALID and SAME agree for 1×1 kernels; for larger kernels only SAME (or a PAD that makes VALID into SAME) is what our convolutions do.
            if (options.Padding != TfLitePadding.Same && kh != 1 && !cursor.IsPaddedToSame(op))
            {
                throw GraphCursor.Mismatch(op, $"{options.Padding} padding on a {kh}×{kh} convolution is not supported (only SAME, or VALID after a PAD that pads as SAME would)");
            }

            int outputs = depthwise ? inChannels : outChannels;
            CheckOutputShape(op, options.StrideHeight, outputs);
            TfLiteTensor? bias = OptionalBias(op, outputs);
            Advance(op.Outputs[0], outputs);
            ActivationKind activation = ActivationOf(op, options.Activation);
            if (activation == ActivationKind.Identity)
            {
                activation = StandaloneActivation();
            }

            return new ImportedConv(op, filter, bias, inChannels, outputs, kh, options.StrideHeight, depthwise, activation) { Output = Current };
        }

        /// <summary>
        /// The output's recorded shape must be what the convolution makes of its input's (SAME padding: the
        /// size divided by the stride, rounded up). The network is built from these shapes, so an edited
        /// one (say, an input of 4000 × 4000) must not pass as a different architecture.
        /// </summary>
        private void CheckOutputShape(TfLiteOperator op, int stride, int outChannels)
        {
            int[] input = cursor.Tensor(op.Inputs[0]).Shape;
            int[] output = cursor.Tensor(op.Outputs[0]).Shape;
            if (input is [int batch, int height, int width, _] && output is [int outBatch, int outHeight, int outWidth, int channels]
                && outBatch == batch && outHeight == (height + stride - 1) / stride && outWidth == (width + stride - 1) / stride && channels == outChannels)
            {
                return;
            }

            throw GraphCursor.Mismatch(op, $"its output {Describe(output)} does not follow from its input {Describe(input)} (stride {stride}, {outChannels} output channels): the file is damaged or its shapes were edited");
        }

        private bool TryResidual(int blockInput)
        {
            TfLiteOperator? op = cursor.Peek();
            if (op is null || !op.Is(BuiltinOperator.Add) || op.Inputs.Length != 2)
            {
                return false;
            }

            int[] inputs = [cursor.Resolve(op.Inputs[0]), cursor.Resolve(op.Inputs[1])];
            if (!inputs.Contains(Current) || !inputs.Contains(blockInput) || blockInput == Current)
            {
                return false;
            }

            if (op.Options.Activation != FusedActivation.None)
            {
                throw GraphCursor.Mismatch(op, "the residual ADD has a fused activation; these networks add linearly");
            }

            Advance(cursor.Take().Outputs[0], Channels);
            return true;
        }

        /// <summary>An activation written as operators of its own right after a convolution without a fused activation.</summary>
        private ActivationKind StandaloneActivation()
        {
            (ActivationKind kind, int operators, int output) = ActivationAfter(0, Current);
            for (int i = 0; i < operators; i++)
            {
                cursor.Take();
            }

            Advance(output, Channels);
            return kind;
        }

        /// <summary>
        /// The activation that the operators <paramref name="ahead"/> of the cursor apply to <paramref name="tensor"/>:
        /// RELU, RELU6 or HARD_SWISH, or SiLU as TensorFlow writes it (LOGISTIC, then MUL of the tensor by its
        /// sigmoid); with how many operators it takes and its output. Identity, 0 and the tensor itself when none.
        /// </summary>
        private (ActivationKind Kind, int Operators, int Output) ActivationAfter(int ahead, int tensor)
        {
            TfLiteOperator? op = cursor.Peek(ahead);
            if (cursor.Consumes(op, BuiltinOperator.Relu6, tensor))
            {
                return (ActivationKind.ReLU6, 1, OutputOf(op!));
            }

            if (cursor.Consumes(op, BuiltinOperator.Relu, tensor))
            {
                return (ActivationKind.ReLU, 1, OutputOf(op!));
            }

            if (cursor.Consumes(op, BuiltinOperator.HardSwish, tensor))
            {
                return (ActivationKind.Hardswish, 1, OutputOf(op!));
            }

            if (cursor.Consumes(op, BuiltinOperator.Logistic, tensor) && cursor.Peek(ahead + 1) is { } product && cursor.Multiplies(product, tensor, OutputOf(op!)))
            {
                return (ActivationKind.SiLU, 2, OutputOf(product));
            }

            return (ActivationKind.Identity, 0, tensor);
        }

        private void SkipReshapes()
        {
            while (cursor.Consumes(cursor.Peek(), BuiltinOperator.Reshape, Current) || cursor.Consumes(cursor.Peek(), BuiltinOperator.Squeeze, Current))
            {
                Advance(cursor.Take().Outputs[0], Channels);
            }
        }

        private bool IsPointwise(TfLiteOperator? op) =>
            cursor.Consumes(op, BuiltinOperator.Conv2D, Current) && op!.Inputs.Length > 1
            && cursor.Tensor(op.Inputs[1]).Shape is [_, 1, 1, _];

        private int OutputOf(TfLiteOperator op) => cursor.Resolve(op.Outputs[0]);

        /// <summary>
        /// The operator that reads the result of the 1×1 convolution at the cursor, and that result: the
        /// convolution's output, or the output of the standalone activation right after it.
        /// </summary>
        private (TfLiteOperator? Reader, int Tensor) ReaderOfPointwise()
        {
            int output = OutputOf(cursor.Peek()!);
            (_, int operators, int activated) = ActivationAfter(1, output);
            return (cursor.Peek(1 + operators), activated);
        }

        private void Advance(int tensor, int channels)
        {
            Current = cursor.Resolve(tensor);
            Channels = channels;
        }

        private TfLiteTensor Constant(TfLiteOperator op, int input, string role)
        {
            TfLiteTensor? tensor = op.Inputs.Length > input && op.Inputs[input] >= 0 ? cursor.Tensor(op.Inputs[input]) : null;
            if (tensor is null || !tensor.IsConstant)
            {
                throw GraphCursor.Mismatch(op, $"its {role} (input {input}) is not a constant tensor");
            }

            return tensor;
        }

        private TfLiteTensor? OptionalBias(TfLiteOperator op, int outputs)
        {
            if (op.Inputs.Length < 3 || op.Inputs[2] < 0)
            {
                return null;
            }

            TfLiteTensor bias = Constant(op, 2, "bias");
            if (bias.ElementCount != outputs)
            {
                throw GraphCursor.Mismatch(op, $"its bias {Describe(bias.Shape)} does not have one value per output ({outputs})");
            }

            return bias;
        }

        private static ActivationKind ActivationOf(TfLiteOperator op, FusedActivation activation) => activation switch
        {
            FusedActivation.None => ActivationKind.Identity,
            FusedActivation.Relu => ActivationKind.ReLU,
            FusedActivation.Relu6 => ActivationKind.ReLU6,
            _ => throw GraphCursor.Mismatch(op, $"fused activation {activation} is not supported (NONE, RELU or RELU6)"),
        };

        private static string Describe(int[] shape) => $"[{string.Join(", ", shape)}]";
    }
}
