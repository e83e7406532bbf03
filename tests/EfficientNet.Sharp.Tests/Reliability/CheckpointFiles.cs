using System.Globalization;
using System.Text.Json;
using EfficientNet.Sharp.Models;
using EfficientNet.Sharp.Training;

namespace EfficientNet.Sharp.Tests.Reliability;

/// <summary>Writes training checkpoints as the trainer does, with any header a test needs (damaged ones included).</summary>
internal static class CheckpointFiles
{
    /// <summary>The header the trainer writes for <paramref name="network"/>, before any test's changes.</summary>
    public static Dictionary<string, string> Header(ConvNetwork network, IReadOnlyList<string> classNames) => new(StringComparer.Ordinal)
    {
        [TrainingCheckpoint.Keys.Format] = TrainingCheckpoint.FormatName,
        [TrainingCheckpoint.Keys.Epoch] = "1",
        [TrainingCheckpoint.Keys.Step] = "10",
        [TrainingCheckpoint.Keys.Seed] = "0",
        [TrainingCheckpoint.Keys.Network] = network.Spec.Name,
        [TrainingCheckpoint.Keys.Parameters] = network.parameters().Sum(p => p.numel()).ToString(CultureInfo.InvariantCulture),
        [TrainingCheckpoint.Keys.Classes] = JsonSerializer.Serialize(classNames),
        [TrainingCheckpoint.Keys.Options] = JsonSerializer.Serialize(new TrainingOptions(), TrainingCheckpoint.JsonOptions),
        [TrainingCheckpoint.Keys.Transform] = JsonSerializer.Serialize(new Data.ImageTransform { Resolution = network.Spec.Resolution }, TrainingCheckpoint.JsonOptions),
    };

    /// <summary>Writes the network's weights with <paramref name="header"/> as the checkpoint's metadata.</summary>
    public static void Write(string path, ConvNetwork network, IReadOnlyDictionary<string, string> header) =>
        TrainingCheckpoint.Write(path, [.. network.state_dict()], header);
}
