using System.Text.Json;
using EfficientNet.Sharp.Specs;
using EfficientNet.Sharp.Training;

namespace EfficientNet.Sharp.Cli.Commands;

/// <summary>
/// How <c>effnet train</c> built its network, saved in each checkpoint's metadata so that <c>effnet evaluate</c>,
/// <c>export</c> and <c>classify</c> can build the same network again without repeating the options.
/// </summary>
internal sealed record NetworkRecipe(string Model, double? Phi, double? Alpha, double? Beta, double? Gamma, double? Width, double? Depth, int? Resolution, string? TfLite)
{
    public const string MetadataKey = "effnet.network";

    public static NetworkRecipe Of(NetworkOptions options, string? tfLite) =>
        new(options.Model, options.Phi, options.Alpha, options.Beta, options.Gamma, options.Width, options.Depth, options.Resolution, tfLite is null ? null : Path.GetFullPath(tfLite));

    public string ToJson() => JsonSerializer.Serialize(this);

    /// <summary>The recipe a training checkpoint records, or null when it records none.</summary>
    /// <exception cref="InvalidDataException">The recorded recipe is not one (the message names the file).</exception>
    public static NetworkRecipe? FromCheckpoint(TrainingCheckpoint checkpoint) =>
        checkpoint.Metadata.TryGetValue(MetadataKey, out string? json)
            ? checkpoint.Parse<NetworkRecipe>(MetadataKey, json, JsonSerializerOptions.Default) ?? throw new InvalidDataException($"'{checkpoint.Path}' records an empty network recipe.")
            : null;

    /// <summary>
    /// The network a file records when it is a training checkpoint with a recipe, checked against the file's own
    /// parameter count; <see langword="null"/> for any other weights file.
    /// </summary>
    /// <param name="path">The weights file.</param>
    /// <param name="classes">Outputs to build; the checkpoint's class count when omitted.</param>
    /// <exception cref="InvalidDataException">The recipe cannot be built, or builds a network of another size than the file records.</exception>
    /// <exception cref="NotSupportedException">The checkpoint was fine-tuned from a TFLite file, whose network only that file describes.</exception>
    public static (NetworkSpec Spec, TrainingCheckpoint Checkpoint)? RecordedIn(string path, int? classes = null)
    {
        if (!File.Exists(path) || !TrainingCheckpoint.Claims(path))
        {
            return null;
        }

        TrainingCheckpoint checkpoint = TrainingCheckpoint.ReadInfo(path);
        if (FromCheckpoint(checkpoint) is not { } recipe)
        {
            return null;
        }

        if (recipe.TfLite is { } recorded)
        {
            throw new NotSupportedException($"'{path}' was fine-tuned from the TFLite file '{recorded}', whose network only that file describes: evaluate it with 'effnet evaluate --weights {path} --tflite FILE'.");
        }

        return (recipe.BuildCheckedSpec(classes ?? checkpoint.ClassNames.Count, checkpoint), checkpoint);
    }

    /// <summary>
    /// The spec, checked against the parameter count the checkpoint records before anything is built: a damaged or
    /// hostile header could otherwise describe a network of gigabytes that no tensor in the file fills.
    /// </summary>
    /// <exception cref="InvalidDataException">The recipe cannot be built, or builds a network of another size.</exception>
    public NetworkSpec BuildCheckedSpec(int classes, TrainingCheckpoint checkpoint)
    {
        NetworkSpec spec;
        try
        {
            spec = BuildSpec(classes);
        }
        catch (Exception exception) when (exception is ArgumentException or KeyNotFoundException)
        {
            throw new InvalidDataException($"'{checkpoint.Path}' records a network that cannot be built: {exception.Message}", exception);
        }

        if (checkpoint.Metadata.GetValueOrDefault(TrainingCheckpoint.Keys.Parameters) is { } recorded
            && recorded != Analysis.NetworkAnalyzer.Analyze(spec).Parameters.ToString(System.Globalization.CultureInfo.InvariantCulture))
        {
            throw new InvalidDataException($"'{checkpoint.Path}' records a network of {recorded} parameters, but its recipe builds {spec.Name} with {Analysis.NetworkAnalyzer.Analyze(spec).Parameters:N0}: the header is damaged or was edited.");
        }

        return spec;
    }

    /// <summary>The spec these options build, with <paramref name="classes"/> outputs (not for TFLite-based networks).</summary>
    public NetworkSpec BuildSpec(int classes) =>
        new NetworkOptions { Model = Model, Phi = Phi, Alpha = Alpha, Beta = Beta, Gamma = Gamma, Width = Width, Depth = Depth, Resolution = Resolution, Classes = classes }.BuildSpec();
}
