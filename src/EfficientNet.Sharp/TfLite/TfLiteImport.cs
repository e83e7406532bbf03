using EfficientNet.Sharp.Inference;
using EfficientNet.Sharp.Models;
using EfficientNet.Sharp.Specs;
using EfficientNet.Sharp.TfLite.Reading;
using EfficientNet.Sharp.TfLite.Recognition;
using EfficientNet.Sharp.TfLite.Schema;

namespace EfficientNet.Sharp.TfLite;

/// <summary>
/// Imports TensorFlow Lite image classifiers — MobileNetV1 (any width and resolution), MobileNetV2 (any
/// width), EfficientNet-Lite0…4 — float or quantized, into our TorchSharp networks.
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
    /// <exception cref="TfLiteImportException">The file is not a valid TFLite model, or its graph is not a supported architecture.</exception>
    public static TfLiteModel Load(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"TFLite model '{path}' does not exist.", path);
        }

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
            return new TfLiteModel(network, TransformFor(spec, input), input, WeightFormatOf(recognised), sourceName);
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
    /// Mean and std on the [0, 1] pixel scale that give the network what the file's input means: for a
    /// uint8 input, real = scale · (255·p − zero point), so mean = zero point / 255 and std = 1 / (255 · scale);
    /// an int8 input holds pixel − 128. A float input says nothing, so the family's training convention is
    /// used: [−1, 1] for TF-Slim MobileNets, (x − 127) / 128 for EfficientNet-Lite.
    /// </summary>
    private static EvalTransform TransformFor(NetworkSpec spec, TfLiteInputQuantization? input)
    {
        (double mean, double std) = input switch
        {
            { ElementType: "uint8" } => (input.ZeroPoint / 255.0, 1 / (255.0 * input.Scale)),
            { } => ((input.ZeroPoint + 128) / 255.0, 1 / (255.0 * input.Scale)),
            null when spec.Family == NetworkFamily.EfficientNetLite => (127 / 255.0, 128 / 255.0),
            null => (0.5, 0.5),
        };
        float[] means = [(float)mean, (float)mean, (float)mean];
        float[] stds = [(float)std, (float)std, (float)std];
        return EvalTransform.TensorFlowLite(spec.Resolution, means, stds);
    }

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
