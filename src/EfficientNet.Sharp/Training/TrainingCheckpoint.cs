using System.Globalization;
using System.Text.Json;
using EfficientNet.Sharp.Data;
using EfficientNet.Sharp.IO;
using EfficientNet.Sharp.Inference;
using EfficientNet.Sharp.Weights.Reading;
using EfficientNet.Sharp.Weights.Writing;
using static TorchSharp.torch;

namespace EfficientNet.Sharp.Training;

/// <summary>
/// A checkpoint of a <see cref="Trainer"/> run: a <c>.safetensors</c> file whose plain entries are the
/// network that was validated (the weight average when <see cref="TrainingOptions.EmaDecay"/> is set), so
/// <c>LoadWeights</c>, <c>effnet evaluate</c> and Python's <c>safetensors</c> read it as an ordinary state dict;
/// entries under <c>training/</c> hold what resuming needs (optimizer state, the live weights), and the header's
/// metadata the epoch, seed, recipe and accuracy. Files are written atomically.
/// </summary>
public sealed class TrainingCheckpoint
{
    /// <summary>The metadata value of <c>format</c> that marks a training checkpoint.</summary>
    public const string FormatName = "efficientnet-sharp-training-checkpoint";

    internal const string StatePrefix = "training/";
    internal const string LivePrefix = StatePrefix + "live/";
    internal const string OptimizerPrefix = StatePrefix + "optimizer/";

    private TrainingCheckpoint(string path, IReadOnlyDictionary<string, string> metadata)
    {
        Path = path;
        Metadata = metadata;
    }

    /// <summary>The file.</summary>
    public string Path { get; }

    /// <summary>Everything the header records, including what the caller added (<see cref="Trainer.Metadata"/>).</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>Epochs completed when it was written.</summary>
    public int Epoch => int.Parse(Metadata[Keys.Epoch], CultureInfo.InvariantCulture);

    /// <summary>Optimizer steps taken.</summary>
    public long Step => long.Parse(Metadata[Keys.Step], CultureInfo.InvariantCulture);

    /// <summary>The run's seed.</summary>
    public int Seed => int.Parse(Metadata[Keys.Seed], CultureInfo.InvariantCulture);

    /// <summary>Validation accuracy after this epoch, in [0, 1]; null when the run had no validation data.</summary>
    /// <exception cref="InvalidDataException">The header records something other than a number.</exception>
    public double? ValidationAccuracy => Metadata.TryGetValue(Keys.ValidationAccuracy, out string? value)
        ? double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double accuracy) ? accuracy
            : throw new InvalidDataException($"Training checkpoint '{Path}' records {Keys.ValidationAccuracy} = '{value}', not a number.")
        : null;

    /// <summary>The network's name (<see cref="Specs.NetworkSpec.Name"/>).</summary>
    public string NetworkName => Metadata[Keys.Network];

    /// <summary>The class names, in label order.</summary>
    /// <exception cref="InvalidDataException">The header records them as something other than a list of names.</exception>
    public IReadOnlyList<string> ClassNames => Parse<string[]>(Keys.Classes, Metadata[Keys.Classes], JsonSerializerOptions.Default) is { } names && names.All(name => name is not null)
        ? names
        : throw new InvalidDataException($"Training checkpoint '{Path}' records its classes as {Metadata[Keys.Classes]}, not a list of names.");

    /// <summary>
    /// The preprocessing the network was validated with (resize, crop, channels, normalisation): what classifying with
    /// it, evaluating it and exporting it use. Checkpoints of releases before 0.3 record only their training transform,
    /// whose evaluation view this then is.
    /// </summary>
    /// <exception cref="InvalidDataException">The header records none, or one that is not valid (the message names the file).</exception>
    public EvalTransform Preprocessing => PreprocessingOf(Metadata, Path) ?? EvaluationTransform.Evaluation;

    /// <summary>The preprocessing record in a header (key <c>preprocessing</c>, the ONNX metadata's JSON), or null when it has none.</summary>
    internal static EvalTransform? PreprocessingOf(IReadOnlyDictionary<string, string> metadata, string source)
    {
        if (!metadata.TryGetValue(Keys.Preprocessing, out string? json))
        {
            return null;
        }

        try
        {
            return EvalTransformJson.Read(json);
        }
        catch (InvalidDataException exception)
        {
            throw new InvalidDataException($"'{source}' records a preprocessing that cannot be used: {exception.Message}", exception);
        }
    }

    /// <summary>How the run transformed validation images: what evaluating this checkpoint needs.</summary>
    /// <exception cref="InvalidDataException">The header does not record it, or records a transform that is not valid (the message names the file and the field).</exception>
    public ImageTransform EvaluationTransform
    {
        get
        {
            if (PreprocessingOf(Metadata, Path) is { } preprocessing)
            {
                return ImageTransform.From(preprocessing);
            }

            string json = Metadata.TryGetValue(Keys.Transform, out string? value) ? value : throw new InvalidDataException($"'{Path}' does not record its image transform.");
            ImageTransform transform = Parse<ImageTransform>(Keys.Transform, json, JsonOptions) ?? throw new InvalidDataException($"'{Path}' records an empty transform.");
            try
            {
                transform.Validate();
            }
            catch (ArgumentException exception)
            {
                throw new InvalidDataException($"Training checkpoint '{Path}' records an image transform that cannot be used: {exception.Message}", exception);
            }

            return transform;
        }
    }

    /// <summary>Reads one JSON field of the header; a damaged field is an error in the file, named with it.</summary>
    internal T? Parse<T>(string key, string json, JsonSerializerOptions options)
    {
        try
        {
            return JsonSerializer.Deserialize<T>(json, options);
        }
        catch (Exception exception) when (exception is JsonException or NotSupportedException or ArgumentException or InvalidOperationException)
        {
            throw new InvalidDataException($"Training checkpoint '{Path}' records '{key}' as {(json.Length > 200 ? json[..200] + "…" : json)}, which cannot be read: {exception.Message}", exception);
        }
    }

    /// <summary>How options and transforms are written into the header: enums by name.</summary>
    internal static JsonSerializerOptions JsonOptions { get; } = new() { Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() } };

    /// <summary>Reads a checkpoint's header (no tensors).</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">It is not a training checkpoint of this library, or its header is damaged.</exception>
    public static TrainingCheckpoint ReadInfo(string path)
    {
        InputFile.Check(path, "checkpoint");

        Dictionary<string, string> metadata;
        try
        {
            using FileStream stream = File.OpenRead(path);
            metadata = SafetensorsFile.ReadMetadata(stream);
        }
        catch (Exception exception) when (exception is InvalidDataException or EndOfStreamException or JsonException)
        {
            throw new InvalidDataException($"'{path}' is not a training checkpoint: {exception.Message}", exception);
        }

        if (!IsTrainingMetadata(metadata))
        {
            throw new InvalidDataException($"'{path}' is not a training checkpoint of EfficientNet.Sharp (its metadata has no format '{FormatName}').");
        }

        string[] missing = new[] { Keys.Epoch, Keys.Step, Keys.Seed, Keys.Network, Keys.Classes, Keys.Options }.Where(key => !metadata.ContainsKey(key)).ToArray();
        if (missing.Length > 0)
        {
            throw new InvalidDataException($"Training checkpoint '{path}' lacks {string.Join(", ", missing)} in its metadata.");
        }

        // The counters are read on demand: check now that they parse and are in range, so a damaged header fails
        // here, naming the file, rather than as an overflow or a negative epoch later.
        foreach ((string key, long minimum, long maximum) in new[] { (Keys.Epoch, 0L, (long)int.MaxValue), (Keys.Step, 0L, long.MaxValue), (Keys.Seed, int.MinValue, int.MaxValue) })
        {
            if (!long.TryParse(metadata[key], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long value) || value < minimum || value > maximum)
            {
                throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture, $"Training checkpoint '{path}' records {key} = '{metadata[key]}', not an integer in [{minimum}, {maximum}]."));
            }
        }

        var checkpoint = new TrainingCheckpoint(path, metadata);
        _ = checkpoint.ClassNames;
        return checkpoint;
    }

    /// <summary>Whether the file's header says it is a training checkpoint (without checking the rest of the header).</summary>
    internal static bool Claims(string path)
    {
        try
        {
            using FileStream stream = File.OpenRead(path);
            return IsTrainingMetadata(SafetensorsFile.ReadMetadata(stream));
        }
        catch (Exception exception) when (exception is InvalidDataException or EndOfStreamException or JsonException or IOException)
        {
            return false;
        }
    }

    internal static bool IsTrainingMetadata(IReadOnlyDictionary<string, string> metadata) =>
        metadata.TryGetValue(Keys.Format, out string? format) && format == FormatName;

    internal static bool IsTrainingState(string key) => key.StartsWith(StatePrefix, StringComparison.Ordinal);

    /// <summary>A short description for load notes: network, epoch and accuracy.</summary>
    internal static string Describe(IReadOnlyDictionary<string, string> metadata) =>
        $"{metadata.GetValueOrDefault(Keys.Network, "?")} after epoch {metadata.GetValueOrDefault(Keys.Epoch, "?")}"
        + (metadata.TryGetValue(Keys.ValidationAccuracy, out string? accuracy) ? $", validation accuracy {(double.TryParse(accuracy, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) ? value.ToString("P2", CultureInfo.InvariantCulture) : accuracy)}" : "")
        + (metadata.GetValueOrDefault(Keys.Averaged) == "true" ? " (weight average)" : "");

    /// <summary>Writes a checkpoint atomically.</summary>
    internal static void Write(string path, IReadOnlyList<KeyValuePair<string, Tensor>> tensors, IReadOnlyDictionary<string, string> metadata) =>
        AtomicFile.Write(path, stream => SafetensorsWriter.Write(stream, tensors, metadata));

    /// <summary>Every tensor of a checkpoint, for resuming; the caller disposes them.</summary>
    internal static Dictionary<string, Tensor> ReadTensors(string path)
    {
        using FileStream stream = File.OpenRead(path);
        try
        {
            return SafetensorsFile.Read(stream);
        }
        catch (Exception exception) when (exception is InvalidDataException or EndOfStreamException or JsonException)
        {
            throw new InvalidDataException($"Cannot read training checkpoint '{path}': {exception.Message}", exception);
        }
    }

    /// <summary>The metadata keys.</summary>
    internal static class Keys
    {
        public const string Format = "format";
        public const string Epoch = "epoch";
        public const string Step = "step";
        public const string Seed = "seed";
        public const string Network = "network";
        public const string Parameters = "parameters";
        public const string Classes = "classes";
        public const string Options = "options";
        public const string Transform = "transform";
        public const string Preprocessing = "preprocessing";
        public const string ValidationAccuracy = "validation_accuracy";
        public const string BestValidationAccuracy = "best_validation_accuracy";
        public const string Averaged = "weight_average";
        public const string AverageUpdates = "weight_average_updates";
    }
}
