using EfficientNet.Sharp.IO;
using EfficientNet.Sharp.Inference;
using EfficientNet.Sharp.Models;
using EfficientNet.Sharp.Models.Families;
using EfficientNet.Sharp.Specs;
using EfficientNet.Sharp.TfLite.Quantized;
using EfficientNet.Sharp.TfLite.Reading;
using EfficientNet.Sharp.TfLite.Recognition;
using EfficientNet.Sharp.TfLite.Schema;

namespace EfficientNet.Sharp.TfLite;

/// <summary>
/// Imports TensorFlow Lite image classifiers and feature extractors — MobileNetV1 (any width and resolution),
/// MobileNetV2 and MobileNetV3 (any width), EfficientNet-Lite0…4, EfficientNet-B0…B7 — float or quantized, into
/// our TorchSharp networks.
/// </summary>
/// <remarks>
/// The graph is recognised from its operators, the spec built from what was found (our builder's spec
/// when it makes the same network), and the weights dequantized into it. TensorFlow's asymmetric "SAME"
/// padding is kept (<see cref="PaddingMode.TensorFlowSame"/>); BatchNorm, folded in the file, is an
/// identity in the network (see <see cref="TfLiteModel.Network"/>). Fine-tuning with BatchNorm in training
/// mode would normalise by batch statistics the folded weights were not trained for: keep BatchNorm in eval
/// mode when fine-tuning an imported network.
/// </remarks>
public static class TfLiteImport
{
    /// <summary>Imports a <c>.tflite</c> file.</summary>
    /// <param name="path">The file.</param>
    /// <returns>The imported model; the caller disposes it.</returns>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The path is not a regular file (a directory, device, FIFO) or is over 2 GiB, the most a FlatBuffer addresses.</exception>
    /// <exception cref="TfLiteImportException">The file is not a valid TFLite model, or its graph is not a supported architecture.</exception>
    public static TfLiteModel Load(string path)
    {
        InputFile.Check(path, "TFLite model", InputFile.MaxTfLiteBytes);
        return Load(File.ReadAllBytes(path), Path.GetFileName(path));
    }

    /// <summary>Imports a TFLite model held in memory.</summary>
    /// <param name="model">The file's bytes.</param>
    /// <param name="sourceName">A name for messages (the file name).</param>
    /// <returns>The imported model; the caller disposes it.</returns>
    /// <exception cref="TfLiteImportException">The bytes are not a valid TFLite model, or its graph is not a supported architecture.</exception>
    public static TfLiteModel Load(byte[] model, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentException.ThrowIfNullOrWhiteSpace(sourceName);
        TfLiteGraph graph;
        try
        {
            graph = TfLiteGraph.Parse(model, $"'{sourceName}'");
        }
        catch (Exception e) when (e is not TfLiteImportException)
        {
            throw Damaged(sourceName, e);
        }

        try
        {
            return Import(graph, sourceName);
        }
        catch (TfLiteImportException e)
        {
            throw e.InFile(sourceName);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or InvalidDataException or IndexOutOfRangeException or OverflowException or InvalidCastException or FormatException)
        {
            // The structure is verified before this, so these can only come from values no valid model
            // has (an impossible index, size or enum); report the file, not a bug in the caller.
            throw Damaged(sourceName, e);
        }
    }

    private static TfLiteImportException Damaged(string sourceName, Exception cause) =>
        new($"'{sourceName}' is a damaged TFLite model: reading it failed ({cause.GetType().Name}: {cause.Message})", cause);

    /// <summary>Recognises the graph, builds the network and copies the weights; errors here do not know the file's name yet.</summary>
    private static TfLiteModel Import(TfLiteGraph graph, string sourceName)
    {
        RecognizedGraph recognised = GraphRecognizer.Recognize(graph);
        NetworkSpec spec = SpecAssembler.Assemble(recognised);
        var network = new ConvNetwork(spec);
        try
        {
            WeightTransfer.Apply(network, recognised);
            network.eval();
            TfLiteInputQuantization? input = InputQuantizationOf(recognised.Input);
            EvalTransform transform = TransformFor(spec, input, recognised.Normalization);
            network.Preprocessing = transform;
            network.ClassNames = ImageNetClasses.ForClassCount(spec.Classifier.NumClasses) is { Count: > 0 } names ? names : null;
            TfLiteQuantizationPlan? int8 = TfLiteQuantizationPlan.TryBuild(graph, recognised, spec, out string whyNotInt8);
            return new TfLiteModel(network, transform, input, recognised.Normalization, WeightFormatOf(recognised), sourceName, int8, whyNotInt8);
        }
        catch
        {
            network.Dispose();
            throw;
        }
    }

    private static TfLiteInputQuantization? InputQuantizationOf(TfLiteTensor input) =>
        input.Quantization is { IsPerTensor: true } q && input.Type is TfLiteTensorType.UInt8 or TfLiteTensorType.Int8
            ? new TfLiteInputQuantization(input.Type == TfLiteTensorType.UInt8 ? "uint8" : "int8", q.Scale[0], q.ZeroPoint[0])
            : null;

    /// <summary>
    /// Mean and std on the [0, 1] pixel scale that give the network what the file's first convolution sees.
    /// The input's real value is first written as x = gain · p + bias of the pixel p ∈ [0, 1]: for a uint8
    /// input, real = scale · (255·p − zero point); an int8 input holds 255·p − 128. A float input says nothing,
    /// so the family's training convention is used — [−1, 1] for TF-Slim MobileNets, (255·p − 127) / 128 for
    /// EfficientNet-Lite — unless the graph normalises in-graph; then the input is raw pixels (see
    /// <see cref="FloatPixelGain"/>). The in-graph map y = a · x + b follows, so the transform is
    /// std = 1 / (a · gain) and mean = −(a · bias + b) / (a · gain), per channel.
    /// </summary>
    private static EvalTransform TransformFor(NetworkSpec spec, TfLiteInputQuantization? input, TfLiteInputNormalization? normalization)
    {
        (double gain, double bias) = input switch
        {
            { ElementType: "uint8" } => (255 * input.Scale, -input.Scale * input.ZeroPoint),
            { } => (255 * input.Scale, -input.Scale * (input.ZeroPoint + 128)),
            null when normalization is not null => (FloatPixelGain(normalization), 0),
            null => FamilyDescriptors.Of(spec.Family).TfLite?.FloatInput ?? throw new NotSupportedException($"The TFLite importer does not assemble {spec.Family} networks."),
        };
        // The transform is per colour channel (R, G, B); a one-channel normalisation applies to each.
        float[] means = new float[3];
        float[] stds = new float[3];
        for (int c = 0; c < 3; c++)
        {
            double a = normalization?.Scale[c % normalization.Scale.Count] ?? 1;
            double b = normalization?.Offset[c % normalization.Offset.Count] ?? 0;
            stds[c] = (float)(1 / (a * gain));
            means[c] = (float)(-((a * bias) + b) / (a * gain));
        }

        return EvalTransform.TensorFlowLite(spec.Resolution, means, stds);
    }

    /// <summary>
    /// What a float input that the graph normalises itself holds: pixels in 0…255 (Keras' preprocessing layers)
    /// or in [0, 1] (TF Hub and Model Maker). The normalisation tells them apart: it maps its own input range to
    /// a span of a few units, so a scale that takes 0…255 to a span under 16 means 0…255.
    /// </summary>
    private static double FloatPixelGain(TfLiteInputNormalization normalization) =>
        normalization.Scale.Max() * 255 < 16 ? 255 : 1;

    private static string WeightFormatOf(RecognizedGraph graph)
    {
        IEnumerable<string> formats = graph.Convolutions.Select(c => c.Filter).Select(filter => filter.Quantization switch
        {
            null => filter.Type.ToString().ToLowerInvariant(),
            { IsPerTensor: true } => $"{filter.Type.ToString().ToLowerInvariant()}, per-tensor scales",
            _ => $"{filter.Type.ToString().ToLowerInvariant()}, per-channel scales",
        });
        return string.Join("; ", formats.Distinct());
    }
}
