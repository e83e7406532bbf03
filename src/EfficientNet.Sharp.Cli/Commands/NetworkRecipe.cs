using System.Text.Json;
using EfficientNet.Sharp.Specs;
using EfficientNet.Sharp.Training;

namespace EfficientNet.Sharp.Cli.Commands;

/// <summary>
/// How <c>effnet train</c> built its network, saved in each checkpoint's metadata so that <c>effnet evaluate</c>
/// can build the same network again without repeating the options.
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

    /// <summary>The spec these options build, with <paramref name="classes"/> outputs (not for TFLite-based networks).</summary>
    public NetworkSpec BuildSpec(int classes) =>
        new NetworkOptions { Model = Model, Phi = Phi, Alpha = Alpha, Beta = Beta, Gamma = Gamma, Width = Width, Depth = Depth, Resolution = Resolution, Classes = classes }.BuildSpec();
}
