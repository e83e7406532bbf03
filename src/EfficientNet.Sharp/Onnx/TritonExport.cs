using System.Text.RegularExpressions;
using EfficientNet.Sharp.IO;
using EfficientNet.Sharp.Models;
using EfficientNet.Sharp.Specs;

namespace EfficientNet.Sharp.Onnx;

/// <summary>
/// Writes a network into a Triton Inference Server model repository (KServe serves the same layout):
/// <c>REPOSITORY/NAME/config.pbtxt</c>, <c>REPOSITORY/NAME/labels.txt</c> and <c>REPOSITORY/NAME/1/model.onnx</c>.
/// </summary>
public static partial class TritonExport
{
    /// <summary>The file name Triton's ONNX Runtime backend looks for in a version folder.</summary>
    public const string ModelFileName = "model.onnx";

    /// <summary>The labels file beside the configuration.</summary>
    public const string LabelsFileName = "labels.txt";

    /// <summary>Exports the network as version 1 of model <paramref name="name"/> in the repository.</summary>
    /// <param name="network">The network (its preprocessing and class names are recorded in the ONNX file as <c>ExportOnnx</c> does).</param>
    /// <param name="repository">The model repository folder (created if missing).</param>
    /// <param name="name">The model's name (letters, digits, '.', '_' and '-'); the network's spec name when null.</param>
    /// <param name="options">ONNX export options; the batch is always dynamic (Triton batches).</param>
    /// <param name="config">Batching and instance settings; the tensors' names and shapes are filled in.</param>
    /// <param name="cancellationToken">Stops before files are replaced.</param>
    /// <returns>The model's folder and the ONNX export's report.</returns>
    /// <exception cref="ArgumentException">The name is not a valid model name, or an option is invalid.</exception>
    /// <exception cref="IOException">A file cannot be written.</exception>
    public static (string ModelFolder, OnnxExportReport Report) ExportTriton(this ConvNetwork network, string repository, string? name = null, OnnxExportOptions? options = null, TritonModelConfig? config = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentException.ThrowIfNullOrWhiteSpace(repository);
        NetworkSpec spec = network.Spec;
        name ??= spec.Name;
        if (!ModelName().IsMatch(name))
        {
            throw new ArgumentException($"'{name}' is not a model name for a repository: use letters, digits, '.', '_' and '-'.", nameof(name));
        }

        options = (options ?? OnnxExportOptions.Default) with { DynamicBatch = true, FeatureLevels = null };
        string folder = Path.Combine(Path.GetFullPath(repository), name);
        Directory.CreateDirectory(Path.Combine(folder, "1"));
        OnnxExportReport report = network.ExportOnnx(Path.Combine(folder, "1", ModelFileName), options, cancellationToken);

        IReadOnlyList<string>? labels = spec.Classifier.IsHeadless ? null : options.Labels ?? network.ClassNames;
        if (labels is not null)
        {
            AtomicFile.Write(Path.Combine(folder, LabelsFileName), stream =>
            {
                using var writer = new StreamWriter(stream, leaveOpen: true);
                foreach (string label in labels)
                {
                    writer.Write(label);
                    writer.Write('\n');
                }
            }, cancellationToken);
        }

        long size = options.DynamicImageSize ? -1 : spec.Resolution;
        TritonModelConfig filled = (config ?? new TritonModelConfig { Name = name, InputName = "", InputDimensions = [], OutputName = "", OutputDimensions = [] }) with
        {
            Name = name,
            InputName = options.InputName,
            InputDimensions = [spec.InputChannels, size, size],
            OutputName = options.OutputName,
            OutputDimensions = [spec.OutputChannels],
            LabelFileName = labels is null ? null : LabelsFileName,
        };
        string text = filled.ToText();
        AtomicFile.Write(Path.Combine(folder, "config.pbtxt"), stream =>
        {
            using var writer = new StreamWriter(stream, leaveOpen: true);
            writer.Write(text);
        }, cancellationToken);
        return (folder, report);
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$")]
    private static partial Regex ModelName();
}
