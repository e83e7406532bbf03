using System.Collections;
using EfficientNet.Sharp.IO;
using EfficientNet.Sharp.Inference;
using EfficientNet.Sharp.Specs;
using EfficientNet.Sharp.Weights.Reading;
using Razorvine.Pickle;
using static TorchSharp.torch;

namespace EfficientNet.Sharp.Weights;

/// <summary>
/// A weights file read into memory: PyTorch (zip or legacy), safetensors or TorchSharp format, detected
/// from the file's first bytes. The state dict is found inside common training-checkpoint wrappers
/// (<c>{"state_dict": …}</c>, <c>{"model": …}</c>, …) and DataParallel's <c>module.</c> prefix is
/// removed; <see cref="Notes"/> says what was done. Dispose it to free the tensors.
/// </summary>
public sealed class Checkpoint : IDisposable
{
    /// <summary>Keys under which training scripts commonly nest the state dict, in the order they are tried.</summary>
    private static readonly string[] WrapperKeys = ["state_dict", "model_state_dict", "model", "state_dict_ema", "model_ema", "ema", "net", "network", "module", "params"];

    private const string DataParallelPrefix = "module.";

    private Checkpoint(string source, CheckpointFormat format, object? root, Dictionary<string, Tensor> stateDict, IReadOnlyList<string> notes, IReadOnlyDictionary<string, string> metadata)
    {
        Metadata = metadata;
        Source = source;
        Format = format;
        Root = root;
        StateDict = stateDict;
        Notes = notes;
    }

    /// <summary>Where it was read from.</summary>
    public string Source { get; }

    /// <summary>The file's format.</summary>
    public CheckpointFormat Format { get; }

    /// <summary>
    /// The object the file holds, as read: a dictionary (<see cref="Hashtable"/>), a list, a tuple
    /// (object array), a tensor or a plain value. For safetensors and TorchSharp files, the dictionary of tensors.
    /// </summary>
    public object? Root { get; }

    /// <summary>The state dict found in the file: parameter and buffer names to tensors (empty when the file holds none).</summary>
    public IReadOnlyDictionary<string, Tensor> StateDict { get; }

    /// <summary>What was done to find the state dict (wrapper key used, prefix removed, entries ignored).</summary>
    public IReadOnlyList<string> Notes { get; }

    /// <summary>The string metadata the file's header holds (safetensors' <c>__metadata__</c>); empty for other formats.</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>The class names, in label order, that a training checkpoint of this library records; null when the file records none.</summary>
    /// <exception cref="InvalidDataException">The file records class names that are not a JSON list of strings.</exception>
    public IReadOnlyList<string>? ClassNames
    {
        get
        {
            if (!Training.TrainingCheckpoint.IsTrainingMetadata(Metadata) || !Metadata.TryGetValue(Training.TrainingCheckpoint.Keys.Classes, out string? json))
            {
                return null;
            }

            try
            {
                return System.Text.Json.JsonSerializer.Deserialize<string[]>(json) is { } names && names.All(name => name is not null) ? names
                    : throw new InvalidDataException($"'{Source}' records its classes as {json}, not a list of names.");
            }
            catch (System.Text.Json.JsonException exception)
            {
                throw new InvalidDataException($"'{Source}' records its classes as {json}, not a list of names: {exception.Message}", exception);
            }
        }
    }

    /// <summary>
    /// The preprocessing the file records (a training checkpoint of this library does, as ONNX exports do), or null
    /// when it records none: then the weights' publisher's, or ImageNet's, is the caller's choice.
    /// </summary>
    /// <exception cref="InvalidDataException">The file records a preprocessing that is not valid.</exception>
    public EvalTransform? Preprocessing => Training.TrainingCheckpoint.PreprocessingOf(Metadata, Source)
        ?? (Training.TrainingCheckpoint.IsTrainingMetadata(Metadata) && Metadata.ContainsKey(Training.TrainingCheckpoint.Keys.Transform) ? LegacyPreprocessing() : null);

    /// <summary>A checkpoint of a release before 0.3 records its training transform; its evaluation view is the preprocessing.</summary>
    private EvalTransform LegacyPreprocessing()
    {
        try
        {
            Data.ImageTransform transform = System.Text.Json.JsonSerializer.Deserialize<Data.ImageTransform>(Metadata[Training.TrainingCheckpoint.Keys.Transform], Training.TrainingCheckpoint.JsonOptions)
                ?? throw new InvalidDataException($"'{Source}' records an empty transform.");
            transform.Validate();
            return transform.Evaluation;
        }
        catch (Exception exception) when (exception is System.Text.Json.JsonException or ArgumentException)
        {
            throw new InvalidDataException($"'{Source}' records a transform that cannot be used: {exception.Message}", exception);
        }
    }

    /// <summary>
    /// The architecture with this checkpoint's classifier: the same network with as many classes as the file's
    /// classifier has (or none, when the file holds no classifier). Build from it, and the weights load whole,
    /// without a random classifier paired with them.
    /// </summary>
    /// <param name="architecture">The network the file's weights are for (its class count is what changes).</param>
    /// <param name="layout">The file's key layout; detected from its keys by default.</param>
    /// <returns><paramref name="architecture"/> itself when the counts already agree.</returns>
    /// <exception cref="NotSupportedException">The layout has no names for the architecture's family.</exception>
    public NetworkSpec FitClassifier(NetworkSpec architecture, KeyLayout layout = KeyLayout.Auto)
    {
        ArgumentNullException.ThrowIfNull(architecture);
        NetworkSpec withClassifier = architecture.Classifier.IsHeadless ? architecture with { Classifier = architecture.Classifier with { NumClasses = 1 } } : architecture;
        string ours = $"{ModulePaths.ClassifierOutput(withClassifier)}.weight";
        KeyLayout used = layout == KeyLayout.Auto ? KeyMapping.Detect(StateDict.Keys) : layout;
        string theirs = used == KeyLayout.Torchvision ? ours : KeyMapping.ToLayout(withClassifier, used)[ours];
        int classes = StateDict.TryGetValue(theirs, out Tensor? weight) && weight.ndim == 2 ? checked((int)weight.shape[0]) : 0;
        return classes == architecture.Classifier.NumClasses ? architecture
            : architecture with { Classifier = architecture.Classifier with { NumClasses = classes } };
    }

    /// <summary>Reads a weights file.</summary>
    /// <param name="path">A <c>.pth</c>/<c>.pt</c>/<c>.bin</c> (PyTorch), <c>.safetensors</c> or TorchSharp file.</param>
    /// <returns>The checkpoint.</returns>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is empty, truncated, corrupt or of an unknown format, or not a regular file; the message names the file.</exception>
    public static Checkpoint Read(string path)
    {
        InputFile.Check(path, "weights file");
        using FileStream stream = File.OpenRead(path);
        return Read(stream, path);
    }

    /// <summary>Reads weights from a seekable stream.</summary>
    /// <param name="stream">The data; it is read from its current position and left open.</param>
    /// <param name="source">A name for messages (for example the file name).</param>
    /// <returns>The checkpoint.</returns>
    /// <exception cref="InvalidDataException">The data is empty, truncated, corrupt or of an unknown format.</exception>
    /// <exception cref="LibTorchUnavailableException">libtorch cannot be loaded (the message says why and how to fix it).</exception>
    public static Checkpoint Read(Stream stream, string source)
    {
        ArgumentNullException.ThrowIfNull(stream);
        LibTorch.EnsureAvailable();
        if (!stream.CanSeek)
        {
            throw new ArgumentException("The stream must be seekable; copy it into a MemoryStream first.", nameof(stream));
        }

        CheckpointFormat format = Detect(stream, source);
        var notes = new List<string>();
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        object? root;
        try
        {
            root = format switch
            {
                CheckpointFormat.PyTorchZip => PickledTensors.ReadZip(stream),
                CheckpointFormat.PyTorchLegacy => PickledTensors.ReadLegacy(stream),
                CheckpointFormat.Safetensors => ToHashtable(ReadSafetensors(stream, notes, metadata)),
                _ => ToHashtable(TorchSharpFile.Read(stream)),
            };
        }
        catch (Exception exception) when (exception is InvalidDataException or NotSupportedException or PickleException or EndOfStreamException or InvalidCastException or IOException or FormatException or OverflowException)
        {
            throw new InvalidDataException($"Cannot read '{source}' ({Describe(format)}): {exception.Message}", exception);
        }

        Dictionary<string, Tensor> stateDict = FindStateDict(root, notes);
        return new Checkpoint(source, format, root, stateDict, notes, metadata);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        // Tensor.Equals compares values, so identity decides what was already disposed.
        var disposed = new HashSet<object>(ReferenceEqualityComparer.Instance);
        foreach (Tensor tensor in EnumerateTensors(Root).Concat(StateDict.Values))
        {
            if (disposed.Add(tensor))
            {
                tensor.Dispose();
            }
        }
    }

    /// <summary>A safetensors file's tensors; of a training checkpoint, only the model's (its optimizer state and live weights are left out).</summary>
    private static Dictionary<string, Tensor> ReadSafetensors(Stream stream, List<string> notes, Dictionary<string, string> header)
    {
        Dictionary<string, Tensor> tensors = SafetensorsFile.Read(stream, out Dictionary<string, string> metadata);
        foreach ((string key, string value) in metadata)
        {
            header[key] = value;
        }

        if (!Training.TrainingCheckpoint.IsTrainingMetadata(metadata))
        {
            return tensors;
        }

        foreach (string key in tensors.Keys.Where(Training.TrainingCheckpoint.IsTrainingState).ToList())
        {
            tensors[key].Dispose();
            tensors.Remove(key);
        }

        notes.Add($"training checkpoint: {Training.TrainingCheckpoint.Describe(metadata)}; the optimizer state is not loaded");
        return tensors;
    }

    private static CheckpointFormat Detect(Stream stream, string source)
    {
        long start = stream.Position;
        Span<byte> head = stackalloc byte[9];
        int read = stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        stream.Position = start;
        if (read == 0)
        {
            throw new InvalidDataException($"Weights file '{source}' is empty.");
        }

        if (read >= 4 && head[0] == 0x50 && head[1] == 0x4B && head[2] == 0x03 && head[3] == 0x04)
        {
            return CheckpointFormat.PyTorchZip;
        }

        // The legacy format begins with a pickled magic number: binary protocols (0x80, version) or text ('L').
        if ((read >= 2 && head[0] == 0x80 && head[1] is >= 2 and <= 5) || head[0] == (byte)'L')
        {
            return CheckpointFormat.PyTorchLegacy;
        }

        if (read == 9 && head[8] == (byte)'{' && System.Buffers.Binary.BinaryPrimitives.ReadInt64LittleEndian(head) > 1)
        {
            return CheckpointFormat.Safetensors;
        }

        if (TorchSharpFile.LooksLikeOne(stream))
        {
            return CheckpointFormat.TorchSharp;
        }

        throw new InvalidDataException($"'{source}' is not a PyTorch, safetensors or TorchSharp weights file (it starts with bytes {Convert.ToHexString(head[..read])}).");
    }

    private static Dictionary<string, Tensor> FindStateDict(object? root, List<string> notes)
    {
        if (root is not Hashtable table)
        {
            notes.Add(root is Tensor ? "The file holds a single tensor, not a state dict." : $"The file holds a {root?.GetType().Name ?? "null"}, not a state dict.");
            return [];
        }

        Hashtable found = table;
        if (!HasTensors(table))
        {
            string? key = WrapperKeys.FirstOrDefault(k => table[k] is Hashtable inner && HasTensors(inner))
                ?? SingleNestedStateDict(table);
            if (key is null)
            {
                notes.Add("No state dict was found: no entry of the file's dictionary holds tensors.");
                return [];
            }

            found = (Hashtable)table[key]!;
            notes.Add($"The state dict was found under the key '{key}'.");
        }

        var stateDict = new Dictionary<string, Tensor>();
        int ignored = 0;
        foreach (DictionaryEntry entry in found)
        {
            if (entry.Key is string name && entry.Value is Tensor tensor)
            {
                stateDict[name] = tensor;
            }
            else
            {
                ignored++;
            }
        }

        if (ignored > 0)
        {
            notes.Add($"{ignored} entr{(ignored == 1 ? "y that is" : "ies that are")} not a tensor ignored.");
        }

        if (stateDict.Count > 0 && stateDict.Keys.All(k => k.StartsWith(DataParallelPrefix, StringComparison.Ordinal)))
        {
            stateDict = stateDict.ToDictionary(e => e.Key[DataParallelPrefix.Length..], e => e.Value);
            notes.Add("The DataParallel prefix 'module.' was removed from every key.");
        }

        return stateDict;

        static bool HasTensors(Hashtable candidate) => candidate.Values.OfType<Tensor>().Any();

        static string? SingleNestedStateDict(Hashtable outer)
        {
            string[] keys = [.. outer.Keys.OfType<string>().Where(k => outer[k] is Hashtable inner && HasTensors(inner))];
            return keys.Length == 1 ? keys[0] : null;
        }
    }

    private static IEnumerable<Tensor> EnumerateTensors(object? node) => node switch
    {
        Tensor tensor => [tensor],
        Hashtable table => table.Values.Cast<object?>().SelectMany(EnumerateTensors),
        IEnumerable sequence and not string => sequence.Cast<object?>().SelectMany(EnumerateTensors),
        _ => [],
    };

    private static Hashtable ToHashtable(Dictionary<string, Tensor> tensors)
    {
        var table = new Hashtable(tensors.Count);
        foreach ((string name, Tensor tensor) in tensors)
        {
            table[name] = tensor;
        }

        return table;
    }

    private static string Describe(CheckpointFormat format) => format switch
    {
        CheckpointFormat.PyTorchZip => "PyTorch zip format",
        CheckpointFormat.PyTorchLegacy => "legacy PyTorch format",
        CheckpointFormat.Safetensors => "safetensors",
        _ => "TorchSharp format",
    };
}
