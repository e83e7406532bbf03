using EfficientNet.Sharp.Inference;
using Microsoft.ML.OnnxRuntime;

namespace EfficientNet.Sharp.OnnxRuntime;

/// <summary>
/// What an exported model's signature and metadata say: its image input (channels, size, batch), its output, the
/// preprocessing and labels it records. A model whose input the preprocessing cannot fill is refused here.
/// </summary>
internal sealed record ExportedModel(
    string InputName,
    int InputChannels,
    int? InputSize,
    bool FixedBatchOfOne,
    string OutputName,
    ModelOutput Output,
    int OutputLength,
    EvalTransform? Preprocessing,
    IReadOnlyList<string>? Labels)
{
    public static ExportedModel Describe(InferenceSession session, string modelPath)
    {
        if (session.InputMetadata.Count != 1)
        {
            throw new InvalidDataException($"'{modelPath}' has {session.InputMetadata.Count} inputs; an image model has one.");
        }

        (string name, NodeMetadata input) = session.InputMetadata.Single();
        int[] dimensions = input.Dimensions;
        if (input.ElementType != typeof(float) || dimensions.Length != 4)
        {
            throw new InvalidDataException($"'{modelPath}' is not an image model: its input is [{string.Join(", ", dimensions)}] {input.ElementType.Name}, not N × C × H × W float32.");
        }

        // The preprocessing makes grey or RGB images one at a time; a fixed batch other than one could not be filled by one image.
        if (dimensions[1] is not (1 or 3))
        {
            throw new InvalidDataException($"'{modelPath}' takes {dimensions[1]}-channel input; images are prepared with 1 (grey) or 3 (RGB) channels.");
        }

        if (dimensions[0] > 1)
        {
            throw new InvalidDataException($"'{modelPath}' takes batches of exactly {dimensions[0]} images; export it with a dynamic batch (or a batch of 1) to classify single images.");
        }

        if (dimensions[2] > 0 != dimensions[3] > 0 || (dimensions[2] > 0 && dimensions[2] != dimensions[3]))
        {
            throw new InvalidDataException($"'{modelPath}' takes {dimensions[2]} × {dimensions[3]} images; the preprocessing makes square crops.");
        }

        IReadOnlyDictionary<string, string> metadata = session.ModelMetadata.CustomMetadataMap;
        (ModelOutput output, string outputName, int length) = OutputOf(session, metadata, modelPath);
        EvalTransform? preprocessing = metadata.TryGetValue("preprocessing", out string? json) ? Read(json, modelPath) : null;
        IReadOnlyList<string>? labels = metadata.TryGetValue("labels", out string? names) ? names.Split('\n') : null;
        return new ExportedModel(name, dimensions[1], dimensions[2] > 0 ? dimensions[2] : null, dimensions[0] == 1, outputName, output, length, preprocessing, labels);
    }

    private static (ModelOutput Output, string Name, int Length) OutputOf(InferenceSession session, IReadOnlyDictionary<string, string> metadata, string modelPath)
    {
        string recorded = metadata.GetValueOrDefault("output", "logits");
        if (recorded == "features")
        {
            // A backbone: every output is a feature map; the deepest (the last) is the embedding, once pooled.
            (string deepest, NodeMetadata map) = session.OutputMetadata.Last();
            return map.Dimensions is [_, > 0 and int channels, _, _]
                ? (ModelOutput.FeatureMaps, deepest, channels)
                : throw new InvalidDataException($"'{modelPath}' records feature-map outputs, but '{deepest}' is [{string.Join(", ", map.Dimensions)}], not N × C × H × W.");
        }

        if (session.OutputMetadata.Count != 1)
        {
            throw new InvalidDataException($"'{modelPath}' has {session.OutputMetadata.Count} outputs; a classifier or feature extractor has one.");
        }

        (string name, NodeMetadata single) = session.OutputMetadata.Single();
        if (single.Dimensions is not [_, > 0 and int length])
        {
            throw new InvalidDataException($"'{modelPath}' outputs [{string.Join(", ", single.Dimensions)}], not one row of scores or features per image.");
        }

        ModelOutput output = recorded switch
        {
            "logits" => ModelOutput.Logits,
            "probabilities" => ModelOutput.Probabilities,
            "pooled features" => ModelOutput.PooledFeatures,
            _ => throw new InvalidDataException($"'{modelPath}' records output '{recorded}', which is none of logits, probabilities, pooled features or features."),
        };
        return (output, name, length);
    }

    private static EvalTransform Read(string json, string modelPath)
    {
        try
        {
            return EvalTransformJson.Read(json);
        }
        catch (InvalidDataException exception)
        {
            throw new InvalidDataException($"'{modelPath}' records a preprocessing that cannot be used: {exception.Message}", exception);
        }
    }
}
