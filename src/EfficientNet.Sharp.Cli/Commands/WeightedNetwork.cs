using EfficientNet.Sharp.Inference;
using EfficientNet.Sharp.Models;
using EfficientNet.Sharp.Specs;
using EfficientNet.Sharp.TfLite;
using EfficientNet.Sharp.Weights;

namespace EfficientNet.Sharp.Cli.Commands;

/// <summary>
/// A network with weights, the preprocessing they expect and their class names, from whichever option gave the
/// weights (a weights file, a published checkpoint or a TFLite file). A weights file decides the class count:
/// its classifier is loaded as it is, never paired silently with a new random one.
/// </summary>
internal sealed class WeightedNetwork : IDisposable
{
    private readonly IDisposable owner;

    private WeightedNetwork(ConvNetwork network, EvalTransform transform, IReadOnlyList<string>? labels, WeightLoadReport? report, string? weightsPath, IDisposable owner)
    {
        Network = network;
        Transform = transform;
        Labels = labels;
        Report = report;
        WeightsPath = weightsPath;
        this.owner = owner;
    }

    /// <summary>The imported file, when the network came from a .tflite file.</summary>
    public TfLiteModel? TfLite => owner as TfLiteModel;

    /// <summary>The network, in eval mode.</summary>
    public ConvNetwork Network { get; }

    /// <summary>The preprocessing the weights expect.</summary>
    public EvalTransform Transform { get; }

    /// <summary>Class names: the file's, or ImageNet's for 1000 or 1001 classes; null when unknown.</summary>
    public IReadOnlyList<string>? Labels { get; }

    /// <summary>What the weight load did (null for a TFLite import).</summary>
    public WeightLoadReport? Report { get; }

    /// <summary>The file the weights were read from.</summary>
    public string? WeightsPath { get; }

    /// <summary>Imports a TFLite file: its network, weights and preprocessing.</summary>
    public static WeightedNetwork FromTfLite(string path)
    {
        TfLiteModel imported = TfLiteImport.Load(path);
        int classes = imported.Spec.Classifier.NumClasses;
        return new WeightedNetwork(imported.Network, imported.Transform, ImageNetLabels(classes), null, Path.GetFullPath(path), imported);
    }

    /// <summary>Downloads (or finds in the cache) a published checkpoint and loads it into its architecture.</summary>
    /// <summary>
    /// The catalog entry a <c>--weights</c> value names, when it is not an existing file: every command's <c>--weights</c>
    /// takes a file or a catalog name ('effnet weights list'), a file of that name winning.
    /// </summary>
    public static PretrainedWeights? CatalogEntry(string weights) =>
        File.Exists(weights) ? null : WeightCatalog.All.FirstOrDefault(w => string.Equals(w.Name, weights, StringComparison.OrdinalIgnoreCase));

    public static WeightedNetwork FromPretrained(PretrainedWeights weights, CancellationToken cancellationToken)
    {
        var network = new ConvNetwork(weights.Architecture);
        try
        {
            string path = new WeightCache().Get(weights, cancellationToken: cancellationToken);
            WeightLoadReport report = network.LoadWeights(path, new WeightLoadOptions { Layout = weights.Layout }) with { Source = weights.Name };
            network.eval();
            return new WeightedNetwork(network, weights.Transform, ImageNetLabels(weights.Architecture.Classifier.NumClasses), report, path, network);
        }
        catch
        {
            network.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Loads a weights file into <paramref name="architecture"/> with the file's class count (and class names, when it
    /// records them) and its preprocessing (when it records one; else <paramref name="transform"/>). When <paramref name="classesGiven"/>, the architecture's count was asked for explicitly: it must
    /// match the file's unless <paramref name="newClassifier"/> asks for a new, untrained classifier.
    /// </summary>
    /// <exception cref="InvalidDataException">The file's class count differs from the one asked for, and no new classifier was asked for.</exception>
    public static WeightedNetwork FromFile(NetworkSpec architecture, string path, EvalTransform transform, bool classesGiven, bool newClassifier)
    {
        using Checkpoint checkpoint = Checkpoint.Read(path);
        NetworkSpec fitted = checkpoint.FitClassifier(architecture);
        int asked = architecture.Classifier.NumClasses, found = fitted.Classifier.NumClasses;
        if (classesGiven && found != asked && !newClassifier)
        {
            throw new InvalidDataException($"'{path}' has a classifier for {found} classes but --classes asks for {asked}: leave out --classes to use the file's, or add --new-classifier to start an untrained {asked}-class classifier.");
        }

        NetworkSpec target = classesGiven ? architecture : fitted;
        var network = new ConvNetwork(target);
        try
        {
            WeightLoadReport report = network.LoadCheckpoint(checkpoint, new WeightLoadOptions { KeepNewClassifier = newClassifier });
            network.eval();
            int classes = target.Classifier.NumClasses;
            IReadOnlyList<string>? labels = report.Classifier == ClassifierOutcome.Loaded && checkpoint.ClassNames is { } names && names.Count == classes
                ? names
                : report.Classifier == ClassifierOutcome.Loaded ? ImageNetLabels(classes) : null;
            // The file's own preprocessing (a training checkpoint records the one it was validated with) decides.
            return new WeightedNetwork(network, checkpoint.Preprocessing ?? transform, labels, report, Path.GetFullPath(path), network);
        }
        catch
        {
            network.Dispose();
            throw;
        }
    }

    /// <summary>A network built from its spec with fresh weights (no labels: its classes mean nothing yet).</summary>
    public static WeightedNetwork Untrained(NetworkSpec spec, EvalTransform transform)
    {
        var network = new ConvNetwork(spec);
        network.eval();
        return new WeightedNetwork(network, transform, null, null, null, network);
    }

    /// <inheritdoc />
    public void Dispose() => owner.Dispose();

    private static IReadOnlyList<string>? ImageNetLabels(int classes) => classes is 1000 or 1001 ? ImageNetClasses.ForClassCount(classes) : null;
}
