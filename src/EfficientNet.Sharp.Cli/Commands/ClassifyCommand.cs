using System.ComponentModel;
using System.Globalization;
using EfficientNet.Sharp.Inference;
using EfficientNet.Sharp.Models;
using EfficientNet.Sharp.Weights;
using Spectre.Console;
using Spectre.Console.Cli;

namespace EfficientNet.Sharp.Cli.Commands;

/// <summary><c>effnet classify IMAGE</c>: the top-k ImageNet classes of an image.</summary>
internal sealed class ClassifyCommand(IAnsiConsole console) : Command<ClassifyCommand.Settings>
{
    /// <summary>Options of <c>effnet classify</c>.</summary>
    public sealed class Settings : CommandSettings
    {
        [CommandArgument(0, "<IMAGE>")]
        [Description("The image to classify (PNG, JPEG, BMP, …).")]
        public string Image { get; init; } = "";

        [CommandOption("--model <MODEL>")]
        [Description("b0 … b7 or mobilenet-v2 (default b0).")]
        [DefaultValue("b0")]
        public string Model { get; init; } = "b0";

        [CommandOption("--pretrained")]
        [Description("Use the published weights of --model (torchvision's default), from the cache or downloaded.")]
        public bool Pretrained { get; init; }

        [CommandOption("--weights <FILE>")]
        [Description("Load these weights instead (PyTorch, safetensors or TorchSharp file; torchvision, timm or lukemelas names).")]
        public string? Weights { get; init; }

        [CommandOption("--top <K>")]
        [Description("How many classes to print (default 5).")]
        [DefaultValue(5)]
        public int Top { get; init; } = 5;

        /// <inheritdoc />
        public override ValidationResult Validate()
        {
            if (Pretrained == (Weights is not null))
            {
                return ValidationResult.Error("Give --pretrained or --weights FILE: an untrained network's classes mean nothing.");
            }

            return Top < 1 ? ValidationResult.Error("--top must be at least 1.") : ValidationResult.Success();
        }
    }

    /// <inheritdoc />
    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        try
        {
            PretrainedWeights catalog = DefaultWeights(settings.Model);
            using ConvNetwork? ownModel = settings.Pretrained ? null : new ConvNetwork(catalog.Architecture);
            ownModel?.LoadWeights(settings.Weights!);
            using ImageClassifier classifier = ownModel is null
                ? ImageClassifier.FromPretrained(catalog, cancellationToken: cancellationToken)
                : new ImageClassifier(ownModel, catalog.Transform);
            foreach (Prediction prediction in classifier.Classify(settings.Image, settings.Top))
            {
                console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{prediction.ClassIndex,5}  {prediction.Probability:0.0000}  {prediction.Label}"));
            }

            return 0;
        }
        catch (Exception exception) when (exception is ArgumentException or FileNotFoundException or InvalidDataException or WeightMismatchException or HttpRequestException or KeyNotFoundException)
        {
            console.MarkupLineInterpolated($"[red]error:[/] {exception.Message}");
            return 1;
        }
    }

    private static PretrainedWeights DefaultWeights(string model) => model.ToLowerInvariant() switch
    {
        "mobilenet-v2" or "mobilenetv2" => MobileNetV2Weights.ImageNet1K_V2,
        ['b', char digit] when digit is >= '0' and <= '7' => EfficientNetWeights.Default(digit - '0'),
        _ => throw new ArgumentException($"Unknown --model '{model}': use b0 … b7 or mobilenet-v2.", nameof(model)),
    };
}
