using EfficientNet.Sharp.Inference;
using EfficientNet.Sharp.Models;
using EfficientNet.Sharp.Specs;
using TorchSharp;
using static TorchSharp.torch;

namespace EfficientNet.Sharp.Weights;

/// <summary>
/// Loads checkpoints into networks: file → state dict (<see cref="Checkpoint"/>) → key mapping
/// (<see cref="KeyMapping"/>) → checks of every key, shape and dtype → a copy into the network's own
/// tensors (so dtypes convert: float16 and bfloat16 checkpoints load into float32 networks).
/// </summary>
public static class WeightLoader
{
    private const string StemWeight = $"{ModulePaths.Stem}.0.weight";

    /// <summary>
    /// Loads a published checkpoint: finds it on disk or downloads it (verified) through the cache, then
    /// loads it strictly with the checkpoint's key layout. The report notes any difference between the
    /// network and the architecture the weights were trained for (padding, BatchNorm settings) that would
    /// make outputs differ from the publisher's.
    /// </summary>
    /// <param name="model">The network to fill.</param>
    /// <param name="weights">The checkpoint, for example <see cref="EfficientNetWeights.B0_ImageNet1K_V1"/>.</param>
    /// <param name="cache">Where to find or put the file; a cache with default settings when omitted.</param>
    /// <param name="progress">Receives download progress.</param>
    /// <param name="cancellationToken">Stops the download.</param>
    /// <returns>What was loaded.</returns>
    /// <exception cref="FileNotFoundException">Offline and the file is not on disk.</exception>
    /// <exception cref="WeightMismatchException">The network does not fit the checkpoint.</exception>
    public static WeightLoadReport LoadPretrained(this ConvNetwork model, PretrainedWeights weights, WeightCache? cache = null, IProgress<DownloadProgress>? progress = null, CancellationToken cancellationToken = default) =>
        LoadPretrained(model, weights, WeightLoadOptions.Default, cache, progress, cancellationToken);

    /// <summary>
    /// Loads a published checkpoint with load options: for transfer learning, a network built with another number of
    /// classes and <see cref="WeightLoadOptions.KeepNewClassifier"/> set keeps its new classifier. The checkpoint's own
    /// key layout is always used.
    /// </summary>
    /// <param name="model">The network to fill.</param>
    /// <param name="weights">The checkpoint.</param>
    /// <param name="options">How to load (its <see cref="WeightLoadOptions.Layout"/> is replaced by the checkpoint's).</param>
    /// <param name="cancellationToken">Stops the download.</param>
    /// <returns>What was loaded.</returns>
    /// <exception cref="FileNotFoundException">Offline and the file is not on disk.</exception>
    /// <exception cref="WeightMismatchException">The network does not fit the checkpoint.</exception>
    public static WeightLoadReport LoadPretrained(this ConvNetwork model, PretrainedWeights weights, WeightLoadOptions options, CancellationToken cancellationToken) =>
        LoadPretrained(model, weights, options, null, null, cancellationToken);

    private static WeightLoadReport LoadPretrained(ConvNetwork model, PretrainedWeights weights, WeightLoadOptions options, WeightCache? cache, IProgress<DownloadProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentNullException.ThrowIfNull(options);
        string path = (cache ?? new WeightCache()).Get(weights, progress, cancellationToken);
        WeightLoadReport report = model.LoadWeights(path, options with { Layout = weights.Layout });
        var notes = new List<string>(report.Notes);
        NetworkSpec trained = weights.Architecture;
        if (model.Spec.Padding != trained.Padding)
        {
            notes.Add($"{weights.Name} was trained with {trained.Padding} padding but this network uses {model.Spec.Padding}: its outputs will differ from the publisher's.");
        }

        if (model.Spec.BatchNorm.Epsilon != trained.BatchNorm.Epsilon)
        {
            notes.Add($"{weights.Name} was trained with BatchNorm ε = {trained.BatchNorm.Epsilon} but this network uses {model.Spec.BatchNorm.Epsilon}: its outputs will differ slightly.");
        }

        model.Preprocessing = weights.Transform;
        model.ClassNames = report.Classifier == ClassifierOutcome.Loaded && ImageNetClasses.ForClassCount(model.Spec.Classifier.NumClasses) is { Count: > 0 } names ? names : null;
        return report with { Source = weights.Name, Notes = notes };
    }

    /// <summary>Reads a weights file and loads it into the network.</summary>
    /// <param name="model">The network to fill.</param>
    /// <param name="path">A PyTorch (zip or legacy), safetensors or TorchSharp file.</param>
    /// <param name="options">How to match keys; <see cref="WeightLoadOptions.Default"/> when omitted.</param>
    /// <returns>What was loaded.</returns>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file cannot be read.</exception>
    /// <exception cref="WeightMismatchException">Strict loading and the weights do not fit; every problem is listed.</exception>
    public static WeightLoadReport LoadWeights(this ConvNetwork model, string path, WeightLoadOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        using Checkpoint checkpoint = Checkpoint.Read(path);
        return model.LoadCheckpoint(checkpoint, options);
    }

    /// <summary>Loads a checkpoint already read into the network.</summary>
    /// <param name="model">The network to fill.</param>
    /// <param name="checkpoint">The checkpoint.</param>
    /// <param name="options">How to match keys; <see cref="WeightLoadOptions.Default"/> when omitted.</param>
    /// <returns>What was loaded.</returns>
    /// <exception cref="WeightMismatchException">Strict loading and the weights do not fit; every problem is listed.</exception>
    public static WeightLoadReport LoadCheckpoint(this ConvNetwork model, Checkpoint checkpoint, WeightLoadOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        if (checkpoint.StateDict.Count == 0)
        {
            throw new InvalidDataException($"'{checkpoint.Source}' holds no state dict to load: {string.Join(" ", checkpoint.Notes)}");
        }

        WeightLoadReport report = model.LoadStateDict(checkpoint.StateDict, options, checkpoint.Source, checkpoint.Notes);

        // What the file records about its images and classes travels with the weights (to an ONNX export, for example).
        if (checkpoint.Preprocessing is { } preprocessing)
        {
            model.Preprocessing = preprocessing;
        }

        if (report.Classifier == ClassifierOutcome.Loaded && checkpoint.ClassNames is { } names && names.Count == model.Spec.Classifier.NumClasses)
        {
            model.ClassNames = names;
        }

        return report;
    }

    /// <summary>Loads a state dict (name → tensor) into the network.</summary>
    /// <param name="model">The network to fill.</param>
    /// <param name="stateDict">The tensors, in any supported layout.</param>
    /// <param name="options">How to match keys; <see cref="WeightLoadOptions.Default"/> when omitted.</param>
    /// <param name="source">A name for messages.</param>
    /// <param name="notes">Notes to carry into the report (for example from reading the file).</param>
    /// <returns>What was loaded.</returns>
    /// <exception cref="WeightMismatchException">Strict loading and the weights do not fit; every problem is listed.</exception>
    public static WeightLoadReport LoadStateDict(
        this ConvNetwork model,
        IReadOnlyDictionary<string, Tensor> stateDict,
        WeightLoadOptions? options = null,
        string source = "state dict",
        IReadOnlyList<string>? notes = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(stateDict);
        model.ThrowIfDisposed();
        WeightLoadOptions settings = options ?? WeightLoadOptions.Default;
        var report = new List<string>(notes ?? []);

        (Dictionary<string, Tensor> incoming, KeyLayout layout) = Rename(model.Spec, stateDict, settings, report);
        string classifierPrefix = $"{ModulePaths.ClassifierOutput(model.Spec)}.";
        Dictionary<string, Tensor> targets = model.state_dict();

        int classes = model.Spec.Classifier.NumClasses;
        long? checkpointClasses = null;
        bool replacedClassifier = false;
        var missing = new List<string>();
        var mismatched = new List<(string Key, string Expected, string Found)>();
        var copies = new List<(Tensor Target, Tensor Source)>();
        var adapted = new List<Tensor>();
        try
        {
            foreach ((string key, Tensor target) in targets)
            {
                if (!incoming.TryGetValue(key, out Tensor? value))
                {
                    // Checkpoints from TensorFlow ports and older PyTorch have no batch counter; it only matters for training.
                    if (!key.EndsWith("num_batches_tracked", StringComparison.Ordinal))
                    {
                        missing.Add(key);
                    }

                    continue;
                }

                incoming.Remove(key);
                if (key == StemWeight && settings.AdaptInputChannels && ShouldAdaptStem(target, value))
                {
                    value = AdaptStem(value, target.shape[1]);
                    adapted.Add(value);
                    report.Add($"The stem's {target.shape[1]}-channel filters were adapted from the checkpoint's 3-channel ones ({(target.shape[1] == 1 ? "summed over colours" : "repeated and scaled by 3/" + target.shape[1])}).");
                }

                if (Describe(target) is var expected && !Fits(target, value))
                {
                    bool isClassifier = key.StartsWith(classifierPrefix, StringComparison.Ordinal) && IsFloating(value.dtype);
                    if (isClassifier && value.ndim >= 1)
                    {
                        checkpointClasses = value.shape[0];
                    }

                    if (isClassifier && settings.KeepNewClassifier)
                    {
                        replacedClassifier = true;
                        report.Add($"{key} kept the network's new values: the checkpoint's is {Describe(value)}, the network's {expected} (another number of classes).");
                        continue;
                    }

                    mismatched.Add((key, expected, Describe(value)));
                    continue;
                }

                copies.Add((target, value));
            }

            List<string> unexpected = [.. incoming.Keys.Order(StringComparer.Ordinal)];
            var skipped = new List<string>();
            if (missing.Count + unexpected.Count + mismatched.Count > 0)
            {
                if (settings.Strict)
                {
                    // The common case gets its own first line: weights for another number of classes.
                    string? reason = checkpointClasses is long found && mismatched.All(m => m.Key.StartsWith(classifierPrefix, StringComparison.Ordinal))
                        ? $"The weights in '{source}' have a classifier for {found} classes but {model.Spec.Name} has {classes}: build the network with {found} classes (Checkpoint.FitClassifier gives that architecture), or set WeightLoadOptions.KeepNewClassifier to start a new, untrained classifier; nothing was loaded."
                        : null;
                    throw new WeightMismatchException(source, missing, unexpected, mismatched, reason);
                }

                skipped.AddRange(missing.Select(k => $"{k}: not in the checkpoint"));
                skipped.AddRange(unexpected.Select(k => $"{k}: not in the network"));
                skipped.AddRange(mismatched.Select(m => $"{m.Key}: expected {m.Expected}, found {m.Found}"));
            }

            using (torch.no_grad())
            {
                foreach ((Tensor target, Tensor value) in copies)
                {
                    // copy_ converts the dtype; a 1-element counter saved as [1] fits a scalar. The source is
                    // held in a local: a temporary could be finalized during the native copy.
                    using Tensor reshaped = value.numel() == target.numel() && value.ndim != target.ndim ? value.reshape(target.shape) : value.alias();
                    target.copy_(reshaped);
                }
            }

            ClassifierOutcome outcome = model.Spec.Classifier.IsHeadless ? ClassifierOutcome.None
                : replacedClassifier ? ClassifierOutcome.Replaced
                : skipped.Any(k => k.StartsWith(classifierPrefix, StringComparison.Ordinal)) ? ClassifierOutcome.NotLoaded
                : ClassifierOutcome.Loaded;
            return new WeightLoadReport(source, layout, copies.Count, report, skipped) { Classifier = outcome, Classes = classes };
        }
        finally
        {
            foreach (Tensor tensor in adapted)
            {
                tensor.Dispose();
            }
        }
    }

    private static (Dictionary<string, Tensor> Incoming, KeyLayout Layout) Rename(NetworkSpec spec, IReadOnlyDictionary<string, Tensor> stateDict, WeightLoadOptions options, List<string> notes)
    {
        if (options.RenameKey is { } rename)
        {
            var renamed = new Dictionary<string, Tensor>();
            int dropped = 0;
            foreach ((string key, Tensor value) in stateDict)
            {
                if (rename(key) is { } name)
                {
                    renamed[name] = value;
                }
                else
                {
                    dropped++;
                }
            }

            if (dropped > 0)
            {
                notes.Add($"{dropped} checkpoint keys were left out by the key renaming.");
            }

            return (renamed, KeyLayout.Torchvision);
        }

        KeyLayout layout = options.Layout == KeyLayout.Auto ? KeyMapping.Detect(stateDict.Keys) : options.Layout;
        if (layout == KeyLayout.Torchvision)
        {
            return (new Dictionary<string, Tensor>(stateDict), layout);
        }

        Dictionary<string, string> toOurs = KeyMapping.ToLayout(spec, layout).ToDictionary(e => e.Value, e => e.Key);
        var result = new Dictionary<string, Tensor>();
        foreach ((string key, Tensor value) in stateDict)
        {
            // A key the table does not know keeps its name, so that it is reported as unexpected.
            result[toOurs.GetValueOrDefault(key, key)] = value;
        }

        notes.Add($"Keys were translated from the {layout} layout.");
        return (result, layout);
    }

    private static bool Fits(Tensor target, Tensor value)
    {
        bool sameShape = target.shape.SequenceEqual(value.shape) || (target.numel() == 1 && value.numel() == 1);
        bool compatibleType = IsFloating(target.dtype) ? IsFloating(value.dtype) : !IsFloating(value.dtype) && value.dtype != ScalarType.Bool;
        return sameShape && compatibleType;
    }

    private static bool ShouldAdaptStem(Tensor target, Tensor value) =>
        value.ndim == 4 && target.ndim == 4 && value.shape[1] == 3 && target.shape[1] != 3
        && value.shape[0] == target.shape[0] && value.shape[2] == target.shape[2] && value.shape[3] == target.shape[3];

    /// <summary>timm's <c>adapt_input_conv</c>: sum for one channel; otherwise repeat the RGB filters and rescale by 3 / channels.</summary>
    private static Tensor AdaptStem(Tensor rgb, long channels)
    {
        using var scope = torch.NewDisposeScope();
        Tensor weight = rgb.to_type(ScalarType.Float32);
        using Scalar rescale = (3.0 / channels).ToScalar();
        Tensor adapted = channels == 1
            ? weight.sum(1, keepdim: true)
            : weight.repeat(1, (channels + 2) / 3, 1, 1)[.., ..(int)channels].mul(rescale);
        return adapted.MoveToOuterDisposeScope();
    }

    private static bool IsFloating(ScalarType type) => type is ScalarType.Float16 or ScalarType.BFloat16 or ScalarType.Float32 or ScalarType.Float64;

    private static string Describe(Tensor tensor) => $"[{string.Join(", ", tensor.shape)}] {tensor.dtype}";
}
