using System.Globalization;
using System.Text.Json;
using EfficientNet.Sharp.Inference;
using EfficientNet.Sharp.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace EfficientNet.Sharp.Training;

// Checkpoints: writing them after each epoch, and resuming a run from one after checking it is the same run.
public sealed partial class Trainer
{
    /// <summary>
    /// Continues from a checkpoint this recipe wrote: restores the weights (live and averaged), the optimizer
    /// state, the step and epoch counters and the best accuracy. <see cref="Train"/> then runs the remaining epochs.
    /// </summary>
    /// <param name="checkpointPath">A <c>last.safetensors</c> (or <c>best.safetensors</c>) of a run with the same network and options.</param>
    /// <returns>The checkpoint's header.</returns>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">It is not a training checkpoint, or its tensors do not fit this network.</exception>
    /// <exception cref="ArgumentException">It was written for another network or another recipe; the message names what differs.</exception>
    public TrainingCheckpoint Resume(string checkpointPath)
    {
        TrainingCheckpoint info = TrainingCheckpoint.ReadInfo(checkpointPath);
        CheckSameRun(info);
        Dictionary<string, Tensor> tensors = TrainingCheckpoint.ReadTensors(checkpointPath);
        try
        {
            Dictionary<string, Tensor> model = tensors.Where(pair => !TrainingCheckpoint.IsTrainingState(pair.Key)).ToDictionary();
            Dictionary<string, Tensor> live = Strip(tensors, TrainingCheckpoint.LivePrefix);
            Load(Network, average is null ? model : live, checkpointPath);
            if (average is not null)
            {
                Load(average.Network, model, checkpointPath);
                average.Updates = long.TryParse(info.Metadata.GetValueOrDefault(TrainingCheckpoint.Keys.AverageUpdates, "0"), NumberStyles.None, CultureInfo.InvariantCulture, out long updates)
                    ? updates
                    : throw new InvalidDataException($"'{checkpointPath}' records {TrainingCheckpoint.Keys.AverageUpdates} = '{info.Metadata[TrainingCheckpoint.Keys.AverageUpdates]}', not a count.");
            }

            rule.Load(Strip(tensors, TrainingCheckpoint.OptimizerPrefix), info.Step);
        }
        finally
        {
            foreach (Tensor tensor in tensors.Values)
            {
                tensor.Dispose();
            }
        }

        CompletedEpochs = info.Epoch;
        step = info.Step;
        bestAccuracy = info.Metadata.TryGetValue(TrainingCheckpoint.Keys.BestValidationAccuracy, out string? best)
            ? double.TryParse(best, NumberStyles.Float, CultureInfo.InvariantCulture, out double accuracy) && accuracy is >= 0 and <= 1 ? accuracy
                : throw new InvalidDataException($"'{checkpointPath}' records {TrainingCheckpoint.Keys.BestValidationAccuracy} = '{best}', not an accuracy in [0, 1].")
            : null;
        return info;
    }

    private void WriteCheckpoint(string path, IReadOnlyList<string> classNames, EpochResult result)
    {
        using var scope = NewDisposeScope();
        var tensors = new List<KeyValuePair<string, Tensor>>(ValidatedNetwork.state_dict());
        if (average is not null)
        {
            tensors.AddRange(Network.state_dict().Select(pair => KeyValuePair.Create(TrainingCheckpoint.LivePrefix + pair.Key, pair.Value)));
        }

        tensors.AddRange(rule.State().Select(pair => KeyValuePair.Create(TrainingCheckpoint.OptimizerPrefix + pair.Key, pair.Value)));
        var metadata = new Dictionary<string, string>(Metadata, StringComparer.Ordinal)
        {
            [TrainingCheckpoint.Keys.Format] = TrainingCheckpoint.FormatName,
            [TrainingCheckpoint.Keys.Epoch] = Invariant(result.Epoch),
            [TrainingCheckpoint.Keys.Step] = Invariant(step),
            [TrainingCheckpoint.Keys.Seed] = Invariant(Options.Seed),
            [TrainingCheckpoint.Keys.Network] = Network.Spec.Name,
            [TrainingCheckpoint.Keys.Parameters] = Invariant(ParameterCount),
            [TrainingCheckpoint.Keys.Classes] = JsonSerializer.Serialize(classNames),
            [TrainingCheckpoint.Keys.Options] = JsonSerializer.Serialize(Options, TrainingCheckpoint.JsonOptions),
            [TrainingCheckpoint.Keys.Transform] = JsonSerializer.Serialize(EvaluationTransform, TrainingCheckpoint.JsonOptions),
            [TrainingCheckpoint.Keys.Preprocessing] = EvalTransformJson.Write(TrainTransform.Evaluation),
            [TrainingCheckpoint.Keys.Averaged] = average is null ? "false" : "true",
            [TrainingCheckpoint.Keys.AverageUpdates] = Invariant(average?.Updates ?? 0),
        };
        if (result.Validation is { } validation)
        {
            metadata[TrainingCheckpoint.Keys.ValidationAccuracy] = Invariant(validation.Accuracy);
        }

        if (bestAccuracy is double best)
        {
            metadata[TrainingCheckpoint.Keys.BestValidationAccuracy] = Invariant(best);
        }

        TrainingCheckpoint.Write(path, tensors, metadata);
    }

    private void CheckSameRun(TrainingCheckpoint info)
    {
        if (info.NetworkName != Network.Spec.Name || info.Metadata.GetValueOrDefault(TrainingCheckpoint.Keys.Parameters) != Invariant(ParameterCount))
        {
            throw new ArgumentException($"'{info.Path}' was written for {info.NetworkName} ({info.Metadata.GetValueOrDefault(TrainingCheckpoint.Keys.Parameters)} parameters), not {Network.Spec.Name} ({ParameterCount}).", nameof(info));
        }

        using JsonDocument saved = info.Parse<JsonDocument>(TrainingCheckpoint.Keys.Options, info.Metadata[TrainingCheckpoint.Keys.Options], JsonSerializerOptions.Default)
            ?? throw new InvalidDataException($"'{info.Path}' records no training options.");
        using JsonDocument current = JsonDocument.Parse(JsonSerializer.Serialize(Options, TrainingCheckpoint.JsonOptions));
        string[] differences = current.RootElement.EnumerateObject()
            .Where(property => !saved.RootElement.TryGetProperty(property.Name, out JsonElement old) || old.GetRawText() != property.Value.GetRawText())
            .Select(property => $"{property.Name} {(saved.RootElement.TryGetProperty(property.Name, out JsonElement old) ? old.GetRawText() : "(absent)")} → {property.Value.GetRawText()}")
            .ToArray();
        if (differences.Length > 0)
        {
            throw new ArgumentException($"'{info.Path}' was written with other training options ({string.Join("; ", differences)}); resume with the same options to retrace the run.", nameof(info));
        }
    }

    private static void Load(ConvNetwork target, Dictionary<string, Tensor> state, string path)
    {
        Dictionary<string, Tensor> expected = target.state_dict();
        string[] missing = expected.Keys.Except(state.Keys).ToArray();
        string[] unexpected = state.Keys.Except(expected.Keys).ToArray();
        if (missing.Length > 0 || unexpected.Length > 0)
        {
            throw new InvalidDataException($"'{path}' does not fit {target.Spec.Name}: {missing.Length} keys missing ({string.Join(", ", missing.Take(3))}), {unexpected.Length} unexpected ({string.Join(", ", unexpected.Take(3))}).");
        }

        using var noGrad = torch.no_grad();
        foreach ((string key, Tensor destination) in expected)
        {
            if (!destination.shape.SequenceEqual(state[key].shape))
            {
                throw new InvalidDataException($"'{path}': '{key}' has shape [{string.Join(", ", state[key].shape)}], the network [{string.Join(", ", destination.shape)}].");
            }

            destination.copy_(state[key]);
        }
    }

    private static Dictionary<string, Tensor> Strip(Dictionary<string, Tensor> tensors, string prefix) =>
        tensors.Where(pair => pair.Key.StartsWith(prefix, StringComparison.Ordinal)).ToDictionary(pair => pair.Key[prefix.Length..], pair => pair.Value);
}
