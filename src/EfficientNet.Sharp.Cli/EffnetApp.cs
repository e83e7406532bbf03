using System.Reflection;
using EfficientNet.Sharp.Cli.Commands;
using EfficientNet.Sharp.Cli.Errors;
using Spectre.Console.Cli;

namespace EfficientNet.Sharp.Cli;

/// <summary>The <c>effnet</c> command tree, shared by the program and its tests.</summary>
internal static class EffnetApp
{
    /// <summary>
    /// What <c>effnet --version</c> prints: the package version, and the commit it was built from when the build knew it
    /// (<c>0.3.0+1a2b3c4</c>), as scripts and bug reports need it.
    /// </summary>
    public static string Version { get; } =
        typeof(EffnetApp).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? typeof(EffnetApp).Assembly.GetName().Version?.ToString(3)
        ?? "unknown";

    /// <summary>Configures the commands, with errors written to the process's stderr.</summary>
    public static void Configure(IConfigurator config) => Configure(config, Console.Error);

    /// <summary>Configures the commands; every error goes to <paramref name="errors"/> through <see cref="ErrorReport"/>.</summary>
    public static void Configure(IConfigurator config, TextWriter errors)
    {
        config.SetApplicationName("effnet");
        config.SetApplicationVersion(Version);
        config.Settings.Registrar.RegisterInstance(new Diagnostics(errors, isTerminal: ReferenceEquals(errors, Console.Error) && !Console.IsErrorRedirected));

        // Unknown options and stray arguments are errors, not silently ignored (a typo such as --phy 3
        // must not print B0).
        config.UseStrictParsing();
        config.SetExceptionHandler((exception, _) => ErrorReport.Write(exception, errors));
        config.SetInterceptor(new LibTorchCheck());
        config.AddCommand<SummaryCommand>("summary")
            .WithDescription("Print a network's architecture stage by stage, with parameter counts (computed from the spec; no tensors).")
            .WithExample("summary", "--phi", "3")
            .WithExample("summary", "--phi", "-1.5")
            .WithExample("summary", "--model", "mobilenet-v2", "--width", "0.75");
        config.AddCommand<FitCommand>("fit")
            .WithDescription("Find the largest EfficientNet that meets a latency, parameter, multiply-accumulate or memory budget, measured on this machine or predicted for a profiled device.")
            .WithExample("fit", "--latency-ms", "30")
            .WithExample("fit", "--latency-ms", "100", "--batch", "8", "--threads", "2", "--plot", "fit.png")
            .WithExample("fit", "--latency-ms", "30", "--compare-modes")
            .WithExample("fit", "--latency-ms", "20", "--device", "pi5.json");
        config.AddCommand<ClassifyCommand>("classify")
            .WithDescription("Print the top ImageNet classes of an image: index, probability, label.")
            .WithExample("classify", "cat.jpg", "--model", "b0", "--pretrained")
            .WithExample("classify", "cat.jpg", "--model", "b3", "--weights", "efficientnet_b3.safetensors", "--top", "3");
        config.AddCommand<ExportCommand>("export")
            .WithDescription("Write a network as an ONNX file (with its preprocessing and labels) and check it with ONNX Runtime.")
            .WithExample("export", "--phi", "3", "--weights", "b3.pth", "--output", "b3.onnx")
            .WithExample("export", "--model", "mobilenet-v2", "--pretrained", "--output", "mobilenet_v2.onnx")
            .WithExample("export", "--tflite", "mobilenet_v1_0.25_128_quant.tflite", "--dynamic-size", "--output", "v1.onnx");
        config.AddCommand<TrainCommand>("train")
            .WithDescription("Train or fine-tune a network on an image folder or Fashion-MNIST, with a checkpoint after every epoch; ends with 'test accuracy: NN.NN%'.")
            .WithExample("train", "--fashion-mnist", "--phi=-6", "--resolution", "32", "--epochs", "10", "--output", "run")
            .WithExample("train", "--data", "photos", "--model", "efficientnet_b0", "--weights", "EfficientNet_B0.ImageNet1K_V1", "--freeze", "4", "--unfreeze-after", "2", "--epochs", "6", "--output", "run")
            .WithExample("train", "--fashion-mnist", "--weights", "mobilenet_v1_0.5_160_quant.tflite", "--resolution", "64", "--epochs", "3", "--output", "run");
        config.AddCommand<EvaluateCommand>("evaluate")
            .WithDescription("Print the accuracy, per-class accuracy and most frequent confusions of trained weights on a dataset's test images.")
            .WithExample("evaluate", "--fashion-mnist", "--weights", "run/best.safetensors")
            .WithExample("evaluate", "--data", "photos", "--weights", "run/best.safetensors");
        config.AddCommand<ProfileDeviceCommand>("profile-device")
            .WithDescription("Time a suite of kernels on this machine in ONNX Runtime (no libtorch) and write the device profile that 'predict' and 'fit --device' read on any machine.")
            .WithExample("profile-device", "--output", "device.json")
            .WithExample("profile-device", "--output", "pi5-4threads.json", "--threads", "4");
        config.AddCommand<PredictCommand>("predict")
            .WithDescription("Predict a network's batch-1 latency on a profiled device, part by part, without running it.")
            .WithExample("predict", "--device", "device.json", "--model", "b0")
            .WithExample("predict", "--device", "device.json", "--phi", "-1.5")
            .WithExample("predict", "--device", "device.json", "--model", "mobilenet_v2", "--width", "0.75", "--resolution", "160");
        config.AddCommand<ModelsCommand>("models")
            .WithDescription("List every model name --model accepts, with parameters, multiply-accumulates and published weights.");
        config.AddBranch("weights", weights =>
        {
            weights.SetDescription("Published checkpoints: list them, download them into the verified cache.");
            weights.AddCommand<WeightsListCommand>("list").WithDescription("List the catalog and what is already on disk.");
            weights.AddCommand<WeightsDownloadCommand>("download")
                .WithDescription("Download a checkpoint into the cache, verified by its SHA-256.")
                .WithExample("weights", "download", "EfficientNet_B0.ImageNet1K_V1");
        });
    }
}
