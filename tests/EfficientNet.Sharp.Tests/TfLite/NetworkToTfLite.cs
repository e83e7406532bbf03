using EfficientNet.Sharp.Blocks;
using EfficientNet.Sharp.Models;
using EfficientNet.Sharp.Specs;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace EfficientNet.Sharp.Tests.TfLite;

/// <summary>How the test exporter stores convolution weights.</summary>
public enum WeightEncoding
{
    Float32,

    /// <summary>float16 constants behind DEQUANTIZE operators (TFLite's float16 post-training quantization).</summary>
    Float16,

    /// <summary>uint8 with one scale and zero point per tensor, int32 biases (TF1 quantization-aware training).</summary>
    UInt8PerTensor,

    /// <summary>Symmetric int8 with one scale per output channel, int32 biases (TF2 post-training quantization).</summary>
    Int8PerChannel,
}

/// <summary>Options of the test exporter.</summary>
/// <param name="Weights">How weights are stored.</param>
/// <param name="SlimClassifier">TF-Slim style (AVERAGE_POOL_2D, 1×1 CONV_2D logits, RESHAPE) instead of Keras style (MEAN, FULLY_CONNECTED).</param>
/// <param name="QuantizedInput">A uint8 input with scale 1/128 and zero point 128 instead of float32.</param>
/// <param name="SeparateActivations">RELU/RELU6 as operators of their own after each convolution instead of fused into it.</param>
/// <param name="QuantizeOperator">A QUANTIZE operator after the input: float to uint8 (a float-interface quantized model), or uint8 to int8 with <paramref name="QuantizedInput"/> (Model Maker).</param>
/// <param name="Normalization">
/// An in-graph input normalisation y = scale · x + offset before the stem, as MUL then ADD by scalar constants
/// (int8 constants when the weights are int8, as in Model Maker's files); the network is fed y.
/// </param>
/// <param name="PadStridedConvolutions">Keras style: an explicit PAD (TensorFlow's SAME amounts) before every strided k×k convolution, which is then VALID.</param>
/// <param name="KeepDims">MEAN with keep_dims and FULLY_CONNECTED with keep_num_dims on the [1, 1, 1, C] result, no reshape (Keras classifier only).</param>
/// <param name="SqueezeAfterMean">MEAN with keep_dims, then SQUEEZE to [1, C] before FULLY_CONNECTED (Keras classifier only).</param>
/// <param name="KerasImageNetNormalization">
/// Keras' EfficientNet preprocessing in the graph, on raw pixels 0…255: MUL by 1/255, SUB the ImageNet mean and
/// DIV by the ImageNet std, per channel; the network is fed the normalised values.
/// </param>
/// <param name="Softmax">End with SOFTMAX (as released classifiers do); without it the file outputs the logits.</param>
public sealed record TfLiteExportOptions(
    WeightEncoding Weights = WeightEncoding.Float32,
    bool SlimClassifier = false,
    bool QuantizedInput = false,
    bool SeparateActivations = false,
    bool QuantizeOperator = false,
    (float Scale, float Offset)? Normalization = null,
    bool PadStridedConvolutions = false,
    bool KeepDims = false,
    bool SqueezeAfterMean = false,
    bool KerasImageNetNormalization = false,
    bool Softmax = true);

/// <summary>
/// Writes one of our networks as a TFLite file the way TensorFlow's converter writes these models: BatchNorm
/// folded into each convolution's filter and bias (folded here with the textbook formula, not the library's),
/// NHWC tensors, SAME padding, fused activations, residual ADDs.
/// </summary>
internal static class NetworkToTfLite
{
    public static TfLiteTestFile Write(ConvNetwork network, TfLiteExportOptions options)
    {
        var state = new ExportState(network, options);
        return state.Write();
    }

    private sealed class ExportState(ConvNetwork network, TfLiteExportOptions options)
    {
        private readonly TfLiteFileWriter writer = new();
        private readonly List<(Tensor Weight, Tensor Bias)> folded = Fold(network);
        private readonly List<Tensor> storedWeights = [];
        private int nextConvolution;
        private int current;
        private int size;
        private int channels;

        public TfLiteTestFile Write()
        {
            NetworkSpec spec = network.Spec;
            size = spec.Resolution;
            channels = spec.InputChannels;
            current = options.QuantizedInput
                ? writer.Activation([1, size, size, channels], "input", TfLiteFileWriter.UInt8, new TfLiteFileWriter.Quantization([1 / 128f], [128]))
                : writer.Activation([1, size, size, channels], "input");
            int input = current;
            if (options.QuantizeOperator)
            {
                current = options.QuantizedInput
                    ? writer.Activation([1, size, size, channels], "input/int8", TfLiteFileWriter.Int8, new TfLiteFileWriter.Quantization([1 / 128f], [0]))
                    : writer.Activation([1, size, size, channels], "input/quantized", TfLiteFileWriter.UInt8, new TfLiteFileWriter.Quantization([1 / 128f], [128]));
                writer.Operator(TfLiteFileWriter.Quantize, [input], [current]);
            }

            if (options.KerasImageNetNormalization)
            {
                Arithmetic(TfLiteFileWriter.Mul, TfLiteFileWriter.MulOptions, [1 / 255f], "rescaling/mul");
                Arithmetic(TfLiteFileWriter.Sub, TfLiteFileWriter.SubOptions, [0.485f, 0.456f, 0.406f], "normalization/sub");
                Arithmetic(TfLiteFileWriter.Div, TfLiteFileWriter.DivOptions, [0.229f, 0.224f, 0.225f], "normalization/div");
            }

            if (options.Normalization is (float scale, float offset))
            {
                Arithmetic(TfLiteFileWriter.Mul, TfLiteFileWriter.MulOptions, scale, "normalize/mul");
                Arithmetic(TfLiteFileWriter.Add, TfLiteFileWriter.AddOptions, offset, "normalize/add");
            }

            Convolution(depthwise: false, spec.Stem.Stride, spec.Stem.Activation);
            foreach (BlockSpec block in spec.Blocks)
            {
                int blockInput = current;
                if (block.Kind == BlockKind.DepthwiseSeparable)
                {
                    Convolution(depthwise: true, block.Stride, block.Activation);
                    Convolution(depthwise: false, 1, block.Activation);
                    continue;
                }

                if (block.HasExpansion)
                {
                    Convolution(depthwise: false, 1, block.Activation);
                }

                Convolution(depthwise: true, block.Stride, block.Activation);
                if (block.SqueezeChannels > 0)
                {
                    SqueezeExcitation(block);
                }

                Convolution(depthwise: false, 1, ActivationKind.Identity);
                if (block.HasResidual)
                {
                    int sum = writer.Activation([1, size, size, channels], $"block{block.Index}/add");
                    writer.Operator(TfLiteFileWriter.Add, [blockInput, current], [sum], TfLiteFileWriter.AddOptions);
                    current = sum;
                }
            }

            if (spec.Head is { } head)
            {
                Convolution(depthwise: false, 1, head.Activation);
            }

            if (spec.Classifier.IsHeadless)
            {
                // A feature extractor ends at the pooled features, as Coral's embedding extractors do.
                int features = writer.Activation([1, 1, 1, channels], "pool");
                writer.Operator(TfLiteFileWriter.AveragePool2D, [current], [features], TfLiteFileWriter.Pool2DOptions, (0, (sbyte)1), (1, 1), (2, 1), (3, size), (4, size));
                return new TfLiteTestFile(writer.Finish([input], [features]), storedWeights);
            }

            Classifier();
            if (!options.Softmax)
            {
                return new TfLiteTestFile(writer.Finish([input], [current]), storedWeights);
            }

            int[] scoresShape = options.KeepDims ? [1, 1, 1, spec.Classifier.NumClasses] : [1, spec.Classifier.NumClasses];
            int probabilities = writer.Activation(scoresShape, "probabilities");
            writer.Operator(TfLiteFileWriter.Softmax, [current], [probabilities], TfLiteFileWriter.SoftmaxOptions, (0, 1f));
            return new TfLiteTestFile(writer.Finish([input], [probabilities]), storedWeights);
        }

        /// <summary>An elementwise MUL or ADD of the current tensor and a scalar constant (int8 with int8 weights).</summary>
        private void Arithmetic(int code, byte optionsType, float value, string name)
        {
            int constant = options.Weights == WeightEncoding.Int8PerChannel
                ? writer.Constant([1], TfLiteFileWriter.Int8, [(byte)(sbyte)127], name + "/constant", new TfLiteFileWriter.Quantization([value / 127], [0]))
                : writer.Constant([1], [value], name + "/constant");
            Elementwise(code, optionsType, constant, name);
        }

        /// <summary>An elementwise operator of the current tensor (first) and a float constant of shape [1, 1, 1, C] (one value per channel).</summary>
        private void Arithmetic(int code, byte optionsType, float[] perChannel, string name) =>
            Elementwise(code, optionsType, writer.Constant([1, 1, 1, perChannel.Length], perChannel, name + "/constant"), name);

        private void Elementwise(int code, byte optionsType, int constant, string name)
        {
            int output = writer.Activation([1, size, size, channels], name);
            writer.Operator(code, [current, constant], [output], optionsType, (0, (sbyte)0));
            current = output;
        }

        private void Convolution(bool depthwise, int stride, ActivationKind activation)
        {
            (Tensor weight, Tensor bias) = folded[nextConvolution++];
            int outChannels = (int)weight.shape[0];
            int kernel = (int)weight.shape[2];

            // PyTorch [out, in, kh, kw] → TFLite [out, kh, kw, in]; depthwise [C, 1, kh, kw] → [1, kh, kw, C].
            Tensor filter = depthwise ? weight.permute(1, 2, 3, 0) : weight.permute(0, 2, 3, 1);
            int name = nextConvolution;
            (int filterTensor, Tensor stored) = Weights(filter.contiguous(), $"conv{name}/weights", quantizedDimension: depthwise ? 3 : 0);
            storedWeights.Add(depthwise ? stored.permute(3, 0, 1, 2).contiguous() : stored.permute(0, 3, 1, 2).contiguous());
            int biasTensor = Bias(bias, $"conv{name}/bias");

            // Keras pads explicitly before a strided convolution: TensorFlow's SAME amounts, then VALID.
            bool padded = options.PadStridedConvolutions && stride > 1 && kernel > 1;
            int convolutionInput = current;
            if (padded)
            {
                int total = Math.Max((((size + stride - 1) / stride) - 1) * stride + kernel - size, 0);
                int before = total / 2;
                int after = total - before;
                int paddings = writer.Constant([4, 2], [0, 0, before, after, before, after, 0, 0], $"conv{name}/paddings");
                convolutionInput = writer.Activation([1, size + total, size + total, channels], $"conv{name}/padded");
                writer.Operator(TfLiteFileWriter.Pad, [current, paddings], [convolutionInput], TfLiteFileWriter.PadOptions);
            }

            sbyte padding = padded ? (sbyte)1 : (sbyte)0;
            size = (size + stride - 1) / stride;
            channels = outChannels;
            int output = writer.Activation([1, size, size, channels], $"conv{name}/output");
            // SiLU has no fused form: TensorFlow writes it as LOGISTIC, then MUL of the tensor by its sigmoid.
            bool silu = activation == ActivationKind.SiLU;
            bool hardSwish = activation == ActivationKind.Hardswish;
            sbyte fused = activation switch
            {
                ActivationKind.Identity or ActivationKind.SiLU or ActivationKind.Hardswish => 0,
                ActivationKind.ReLU => 1,
                ActivationKind.ReLU6 => 3,
                _ => throw new ArgumentException($"No TFLite form for {activation}."),
            };
            int convolved = (options.SeparateActivations && fused != 0) || silu || hardSwish ? writer.Activation([1, size, size, channels], $"conv{name}/linear") : output;
            sbyte fusedHere = convolved == output ? fused : (sbyte)0;
            if (depthwise)
            {
                writer.Operator(TfLiteFileWriter.DepthwiseConv2D, [convolutionInput, filterTensor, biasTensor], [convolved], TfLiteFileWriter.DepthwiseConv2DOptions, (0, padding), (1, stride), (2, stride), (3, 1), (4, fusedHere));
            }
            else
            {
                writer.Operator(TfLiteFileWriter.Conv2D, [convolutionInput, filterTensor, biasTensor], [convolved], TfLiteFileWriter.Conv2DOptions, (0, padding), (1, stride), (2, stride), (3, fusedHere));
            }

            if (silu)
            {
                int sigmoid = writer.Activation([1, size, size, channels], $"conv{name}/sigmoid");
                writer.Operator(TfLiteFileWriter.Logistic, [convolved], [sigmoid]);
                writer.Operator(TfLiteFileWriter.Mul, [convolved, sigmoid], [output], TfLiteFileWriter.MulOptions, (0, (sbyte)0));
            }
            else if (hardSwish)
            {
                writer.Operator(TfLiteFileWriter.HardSwish, [convolved], [output]);
            }
            else if (convolved != output)
            {
                writer.Operator(fused == 3 ? TfLiteFileWriter.Relu6 : TfLiteFileWriter.Relu, [convolved], [output]);
            }

            current = output;
        }

        /// <summary>
        /// Squeeze-and-excitation as Keras' EfficientNet exports: MEAN with keep_dims, the reducing 1×1 convolution
        /// with the block's activation, the expanding one, LOGISTIC, and a MUL of the block's tensor by the gate.
        /// </summary>
        private void SqueezeExcitation(BlockSpec block)
        {
            int input = current;
            int inputSize = size;
            int inputChannels = channels;
            int pooled = writer.Activation([1, 1, 1, channels], $"block{block.Index}/se/mean");
            writer.Operator(TfLiteFileWriter.Mean, [current, writer.Constant([2], [1, 2], $"block{block.Index}/se/axes")], [pooled], TfLiteFileWriter.ReducerOptions, (0, true));
            current = pooled;
            size = 1;
            // MobileNetV3's reduces with ReLU and gates with Keras' hard sigmoid, ReLU6(x + 3) · 1/6: ADD (RELU6 fused), MUL.
            bool mobileNetV3 = block.Kind == BlockKind.MobileNetV3;
            Convolution(depthwise: false, 1, mobileNetV3 ? ActivationKind.ReLU : block.Activation);
            Convolution(depthwise: false, 1, ActivationKind.Identity);
            int gate = writer.Activation([1, 1, 1, inputChannels], $"block{block.Index}/se/gate");
            if (mobileNetV3)
            {
                int shifted = writer.Activation([1, 1, 1, inputChannels], $"block{block.Index}/se/add");
                writer.Operator(TfLiteFileWriter.Add, [current, writer.Constant([], [3f], $"block{block.Index}/se/three")], [shifted], TfLiteFileWriter.AddOptions, (0, (sbyte)3));
                writer.Operator(TfLiteFileWriter.Mul, [shifted, writer.Constant([], [1 / 6f], $"block{block.Index}/se/sixth")], [gate], TfLiteFileWriter.MulOptions, (0, (sbyte)0));
            }
            else
            {
                writer.Operator(TfLiteFileWriter.Logistic, [current], [gate]);
            }
            size = inputSize;
            channels = inputChannels;
            int scaled = writer.Activation([1, size, size, channels], $"block{block.Index}/se/scaled");
            writer.Operator(TfLiteFileWriter.Mul, [input, gate], [scaled], TfLiteFileWriter.MulOptions, (0, (sbyte)0));
            current = scaled;
        }

        private void Classifier()
        {
            if (network.Spec.Classifier.HiddenChannels is not null)
            {
                HiddenClassifier();
                return;
            }

            Linear linear = network.Classifier.modules().OfType<Linear>().Single();
            int classes = (int)linear.weight!.shape[0];
            int features = channels;
            if (options.SlimClassifier)
            {
                int pooled = writer.Activation([1, 1, 1, features], "pool");
                writer.Operator(TfLiteFileWriter.AveragePool2D, [current], [pooled], TfLiteFileWriter.Pool2DOptions, (0, (sbyte)1), (1, 1), (2, 1), (3, size), (4, size));
                (int filter, Tensor stored) = Weights(linear.weight!.detach().reshape(classes, 1, 1, features), "logits/weights", quantizedDimension: 0);
                storedWeights.Add(stored.reshape(classes, features));
                int logits = writer.Activation([1, 1, 1, classes], "logits");
                writer.Operator(TfLiteFileWriter.Conv2D, [pooled, filter, Bias(linear.bias!.detach(), "logits/bias")], [logits], TfLiteFileWriter.Conv2DOptions, (1, 1), (2, 1));
                int flat = writer.Activation([1, classes], "logits/flat");
                writer.Operator(TfLiteFileWriter.Reshape, [logits, writer.Constant([2], [1, classes], "logits/shape")], [flat]);
                current = flat;
            }
            else
            {
                bool keep = options.KeepDims;
                bool squeeze = options.SqueezeAfterMean;
                int pooled = writer.Activation(keep || squeeze ? [1, 1, 1, features] : [1, features], "pool");
                writer.Operator(TfLiteFileWriter.Mean, [current, writer.Constant([2], [1, 2], "pool/axes")], [pooled], TfLiteFileWriter.ReducerOptions, (0, keep || squeeze));
                if (squeeze)
                {
                    int flat = writer.Activation([1, features], "pool/squeezed");
                    writer.Operator(TfLiteFileWriter.Squeeze, [pooled], [flat]);
                    pooled = flat;
                }

                (int weights, Tensor stored) = Weights(linear.weight!.detach(), "dense/weights", quantizedDimension: 0);
                storedWeights.Add(stored);
                int logits = writer.Activation(keep ? [1, 1, 1, classes] : [1, classes], "logits");
                writer.Operator(TfLiteFileWriter.FullyConnected, [pooled, weights, Bias(linear.bias!.detach(), "dense/bias")], [logits], TfLiteFileWriter.FullyConnectedOptions, (0, (sbyte)0), (2, keep));
                current = logits;
            }
        }

        /// <summary>
        /// Keras' MobileNetV3 head after the last 1×1 convolution: MEAN with keep_dims, a 1×1 CONV_2D to the hidden
        /// width with HARD_SWISH, a 1×1 CONV_2D to the classes, RESHAPE to [1, classes].
        /// </summary>
        private void HiddenClassifier()
        {
            Linear[] linears = [.. network.Classifier.modules().OfType<Linear>()];
            int pooled = writer.Activation([1, 1, 1, channels], "pool");
            writer.Operator(TfLiteFileWriter.Mean, [current, writer.Constant([2], [1, 2], "pool/axes")], [pooled], TfLiteFileWriter.ReducerOptions, (0, true));
            current = pooled;
            for (int i = 0; i < linears.Length; i++)
            {
                Linear linear = linears[i];
                int outputs = (int)linear.weight!.shape[0];
                (int filter, Tensor stored) = Weights(linear.weight!.detach().reshape(outputs, 1, 1, channels), $"logits{i}/weights", quantizedDimension: 0);
                storedWeights.Add(stored.reshape(outputs, channels));
                bool hidden = i < linears.Length - 1;
                int output = writer.Activation([1, 1, 1, outputs], $"logits{i}");
                writer.Operator(TfLiteFileWriter.Conv2D, [current, filter, Bias(linear.bias!.detach(), $"logits{i}/bias")], [output], TfLiteFileWriter.Conv2DOptions, (1, 1), (2, 1));
                current = output;
                channels = outputs;
                if (hidden)
                {
                    int activated = writer.Activation([1, 1, 1, outputs], $"logits{i}/hardswish");
                    writer.Operator(TfLiteFileWriter.HardSwish, [current], [activated]);
                    current = activated;
                }
            }

            int flat = writer.Activation([1, channels], "logits/flat");
            writer.Operator(TfLiteFileWriter.Reshape, [current, writer.Constant([2], [1, channels], "logits/shape")], [flat]);
            current = flat;
        }

        /// <summary>Stores a TFLite-layout weight tensor in the chosen encoding; returns its tensor and the values it stands for.</summary>
        private (int Tensor, Tensor Stored) Weights(Tensor values, string name, int quantizedDimension)
        {
            int[] shape = [.. values.shape.Select(d => (int)d)];
            float[] data = values.contiguous().data<float>().ToArray();
            switch (options.Weights)
            {
                case WeightEncoding.Float16:
                {
                    Half[] halves = [.. data.Select(v => (Half)v)];
                    int constant = writer.Constant(shape, TfLiteFileWriter.Float16, [.. halves.SelectMany(h => BitConverter.GetBytes(h))], name + "/fp16");
                    int dequantized = writer.Activation(shape, name);
                    writer.Operator(TfLiteFileWriter.Dequantize, [constant], [dequantized]);
                    return (dequantized, tensor(halves.Select(h => (float)h).ToArray(), values.shape));
                }

                case WeightEncoding.UInt8PerTensor:
                {
                    float min = Math.Min(0, data.Min());
                    float max = Math.Max(0, data.Max());
                    float scale = Math.Max(max - min, 1e-8f) / 255;
                    long zeroPoint = (long)Math.Round(-min / scale);
                    byte[] q = [.. data.Select(v => (byte)Math.Clamp(Math.Round(v / scale) + zeroPoint, 0, 255))];
                    int constant = writer.Constant(shape, TfLiteFileWriter.UInt8, q, name, new TfLiteFileWriter.Quantization([scale], [zeroPoint]));
                    return (constant, tensor(q.Select(b => (float)(scale * (b - zeroPoint))).ToArray(), values.shape));
                }

                case WeightEncoding.Int8PerChannel:
                {
                    int slices = shape[quantizedDimension];
                    long inner = shape.Skip(quantizedDimension + 1).Aggregate(1L, (p, d) => p * d);
                    float[] scales = new float[slices];
                    for (int i = 0; i < data.Length; i++)
                    {
                        int slice = (int)(i / inner % slices);
                        scales[slice] = Math.Max(scales[slice], Math.Abs(data[i]) / 127);
                    }

                    scales = [.. scales.Select(s => Math.Max(s, 1e-8f))];
                    sbyte[] q = [.. data.Select((v, i) => (sbyte)Math.Clamp(Math.Round(v / scales[(int)(i / inner % slices)]), -127, 127))];
                    int constant = writer.Constant(shape, TfLiteFileWriter.Int8, [.. q.Select(b => (byte)b)], name, new TfLiteFileWriter.Quantization(scales, new long[slices], quantizedDimension));
                    return (constant, tensor(q.Select((b, i) => scales[(int)(i / inner % slices)] * b).ToArray(), values.shape));
                }

                default:
                    return (writer.Constant(shape, data, name), values.contiguous().clone());
            }
        }

        /// <summary>Float biases stay float; quantized files store int32 biases with a fine per-tensor scale.</summary>
        private int Bias(Tensor bias, string name)
        {
            float[] values = bias.contiguous().data<float>().ToArray();
            if (options.Weights is WeightEncoding.Float32 or WeightEncoding.Float16)
            {
                return writer.Constant([values.Length], values, name);
            }

            float scale = Math.Max(values.Max(Math.Abs), 1e-6f) / (1 << 24);
            int[] q = [.. values.Select(v => (int)Math.Round(v / scale))];
            return writer.Constant([values.Length], q, name, new TfLiteFileWriter.Quantization([scale], [0]));
        }
    }

    /// <summary>
    /// Each convolution with the BatchNorm after it folded in: w·γ/√(σ²+ε) and β − μ·γ/√(σ²+ε); squeeze-and-
    /// excitation's convolutions, which have their own bias and no BatchNorm, as they are.
    /// </summary>
    private static List<(Tensor Weight, Tensor Bias)> Fold(ConvNetwork network)
    {
        Conv2d[] convolutions = [.. ModuleOrder.DepthFirst(network.Features).OfType<Conv2d>()];
        Queue<BatchNormLayer> norms = new(ModuleOrder.DepthFirst(network.Features).OfType<BatchNormLayer>());
        using var noGrad = torch.no_grad();
        return [.. convolutions.Select(conv =>
        {
            if (conv.bias is { } own)
            {
                return (conv.weight!.detach().clone(), own.detach().clone());
            }

            BatchNormLayer norm = norms.Dequeue();
            Tensor factor = norm.Weight.detach() / (norm.RunningVariance + norm.Epsilon).sqrt();
            Tensor weight = conv.weight!.detach() * factor.reshape(-1, 1, 1, 1);
            Tensor bias = norm.Bias.detach() - (norm.RunningMean * factor);
            return (weight, bias);
        })];
    }
}

/// <summary>A TFLite file written by a test, and the weights (PyTorch layout, in forward order) its stored values stand for.</summary>
/// <param name="Bytes">The file.</param>
/// <param name="StoredWeights">Every convolution's filter, then the classifier's weight, as the file's values dequantize.</param>
internal sealed record TfLiteTestFile(byte[] Bytes, IReadOnlyList<Tensor> StoredWeights);
