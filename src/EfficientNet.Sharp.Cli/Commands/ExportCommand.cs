using System.ComponentModel;
using System.Globalization;
using EfficientNet.Sharp.Cli.Errors;
using EfficientNet.Sharp.Inference;
using EfficientNet.Sharp.Models;
using EfficientNet.Sharp.Onnx;
using EfficientNet.Sharp.Specs;
using EfficientNet.Sharp.TfLite;
using EfficientNet.Sharp.Weights;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Spectre.Console;
using Spectre.Console.Cli;
using TorchSharp;
using Tensor = TorchSharp.torch.Tensor;

namespace EfficientNet.Sharp.Cli.Commands;

/// <summary>
/// <c>effnet export</c>: writes a network (built from options, with weights, or imported from TFLite) as an
/// ONNX file with its preprocessing and class names, then runs the file in ONNX Runtime on a random batch
/// and reports the largest difference from TorchSharp.
/// </summary>
internal sealed class ExportCommand(IAnsiConsole console) : Command<ExportCommand.Settings>
{
    /// <summary>Options of <c>effnet export</c>.</summary>
    public sealed class Settings : NetworkOptions, IUsesLibTorch
    {
        [CommandOption("-o|--output <FILE>")]
        [Description("The .onnx file to write (replaced if it exists; written whole or not at all).")]
        public string Output { get; init; } = "";

        [CommandOption("--weights <FILE>")]
        [Description("Load these weights (PyTorch, safetensors or TorchSharp file; torchvision, timm or lukemelas names).")]
        public string? Weights { get; init; }

        [CommandOption("--pretrained")]
        [Description("Load the published checkpoint of this architecture (from the cache, or downloaded).")]
        public bool Pretrained { get; init; }

        [CommandOption("--tflite <FILE>")]
        [Description("Export this TensorFlow Lite classifier instead (network options do not apply).")]
        public string? TfLite { get; init; }

        [CommandOption("--opset <VERSION>")]
        [Description("ONNX opset, 13 to 21 (default 17).")]
        [DefaultValue(17)]
        public int Opset { get; init; } = 17;

        [CommandOption("--dynamic-size")]
        [Description("Symbolic height and width: the file runs at any image size (TF 'SAME' padding as auto_pad SAME_UPPER).")]
        public bool DynamicSize { get; init; }

        [CommandOption("--softmax")]
        [Description("Output probabilities instead of logits.")]
        public bool Softmax { get; init; }

        /// <inheritdoc />
        public override ValidationResult Validate()
        {
            if (string.IsNullOrWhiteSpace(Output))
            {
                return ValidationResult.Error("Give the file to write: --output model.onnx.");
            }

            if ((Weights is null ? 0 : 1) + (Pretrained ? 1 : 0) + (TfLite is null ? 0 : 1) > 1)
            {
                return ValidationResult.Error("Give at most one of --weights FILE, --pretrained or --tflite FILE.");
            }

            if (Opset is < OnnxExportOptions.MinOpset or > OnnxExportOptions.MaxOpset)
            {
                return ValidationResult.Error($"--opset must be {OnnxExportOptions.MinOpset} to {OnnxExportOptions.MaxOpset}.");
            }

            return base.Validate();
        }
    }

    /// <inheritdoc />
    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        (ConvNetwork network, EvalTransform transform, IDisposable owner) = Load(settings, cancellationToken);
        using (owner)
        {
            int classes = network.Spec.Classifier.NumClasses;
            var options = new OnnxExportOptions
            {
                Opset = settings.Opset,
                DynamicImageSize = settings.DynamicSize,
                IncludeSoftmax = settings.Softmax,
                OutputName = network.Spec.Classifier.IsHeadless ? "features" : "logits",
                Transform = transform,
                Labels = !network.Spec.Classifier.IsHeadless && classes is 1000 or 1001 ? ImageNetClasses.ForClassCount(classes) : null,
            };
            OnnxExportReport report = network.ExportOnnx(settings.Output, options);
            (float difference, float scale) = CompareWithOnnxRuntime(network, report.Path!, settings.Softmax);

            console.WriteLine($"Wrote {report.Path} ({SummaryTable.Bytes(report.Bytes)}{(report.ExternalDataPath is null ? "" : $", weights in {report.ExternalDataPath}")}), opset {report.Opset}.");
            console.WriteLine($"  input   {report.Input}");
            console.WriteLine($"  output  {report.Output}");
            console.WriteLine($"  {report.NodeCount} operators, {report.InitializerCount} weight tensors; preprocessing: {transform}");
            console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  ONNX Runtime against TorchSharp on a random batch of 2: max |difference| {difference:g3} (largest output {scale:g3})"));
            if (difference > (1e-4f * scale) + 1e-6f)
            {
                throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture, $"The exported file's outputs differ from TorchSharp's by {difference:g3}, over 1e-4 × {scale:g3}: this is a bug in the exporter; please report it with the command line."));
            }

            return ExitCodes.Success;
        }
    }

    /// <summary>The network to export, the preprocessing its weights expect, and what must be disposed with it.</summary>
    private static (ConvNetwork Network, EvalTransform Transform, IDisposable Owner) Load(Settings settings, CancellationToken cancellationToken)
    {
        if (settings.TfLite is { } tflite)
        {
            TfLiteModel imported = TfLiteImport.Load(tflite);
            return (imported.Network, imported.Transform, imported);
        }

        NetworkSpec spec = settings.BuildSpec();
        PretrainedWeights? published = WeightCatalog.All.FirstOrDefault(w => w.Architecture == spec);
        if (settings.Pretrained && published is null)
        {
            throw new ArgumentException($"No published checkpoint has the architecture {spec.Name}; see 'effnet weights list'.");
        }

        var network = new ConvNetwork(spec);
        try
        {
            if (settings.Pretrained)
            {
                network.LoadPretrained(published!, cancellationToken: cancellationToken);
            }
            else if (settings.Weights is { } weights)
            {
                network.LoadWeights(weights);
            }

            network.eval();

            // A published architecture's own preprocessing; otherwise ImageNet's, resizing to 1/0.875 of the crop.
            EvalTransform transform = published?.Transform ?? EvalTransform.ImageNet((int)Math.Round(spec.Resolution / 0.875), spec.Resolution, Interpolation.Bilinear);
            return (network, transform, network);
        }
        catch
        {
            network.Dispose();
            throw;
        }
    }

    private static (float Difference, float Scale) CompareWithOnnxRuntime(ConvNetwork network, string path, bool softmax)
    {
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        int size = network.Spec.Resolution;
        Tensor input = torch.randn([2, network.Spec.InputChannels, size, size], generator: new torch.Generator(2026));
        Tensor expected = network.call(input);
        if (softmax)
        {
            expected = torch.nn.functional.softmax(expected, 1);
        }

        using var session = new InferenceSession(path);
        var tensor = new DenseTensor<float>(input.data<float>().ToArray(), [.. input.shape.Select(d => (int)d)]);
        using IDisposableReadOnlyCollection<DisposableNamedOnnxValue> results = session.Run([NamedOnnxValue.CreateFromTensor(session.InputMetadata.Keys.Single(), tensor)]);
        Tensor actual = torch.tensor(results.First().AsEnumerable<float>().ToArray(), expected.shape);
        return ((actual - expected).abs().max().item<float>(), expected.abs().max().item<float>());
    }
}
