using System.ComponentModel;
using EfficientNet.Sharp.Inference;
using EfficientNet.Sharp.Weights;
using Spectre.Console;
using Spectre.Console.Cli;

namespace EfficientNet.Sharp.Cli.Commands;

/// <summary><c>effnet weights download</c>: puts a verified checkpoint into the cache.</summary>
internal sealed class WeightsDownloadCommand(IAnsiConsole console) : Command<WeightsDownloadCommand.Settings>
{
    /// <summary>Options of <c>effnet weights download</c>.</summary>
    public sealed class Settings : CommandSettings
    {
        [CommandArgument(0, "[NAME]")]
        [Description("A catalog name (see 'effnet weights list'), for example EfficientNet_B0.ImageNet1K_V1.")]
        public string? Name { get; init; }

        [CommandOption("--file <FILE>")]
        [Description("Instead of a catalog name: a file name under --base-url, verified with --sha256.")]
        public string? File { get; init; }

        [CommandOption("--sha256 <HEX>")]
        [Description("The SHA-256 (or its leading hex digits) of --file.")]
        public string? Sha256 { get; init; }

        [CommandOption("--base-url <URL>")]
        [Description("Download from this mirror instead of the publisher.")]
        public string? BaseUrl { get; init; }

        [CommandOption("--cache <FOLDER>")]
        [Description("Cache folder (default: $EFFICIENTNET_SHARP_CACHE or ~/.cache/efficientnet-sharp).")]
        public string? Cache { get; init; }

        /// <inheritdoc />
        public override ValidationResult Validate()
        {
            if ((Name is null) == (File is null))
            {
                return ValidationResult.Error("Give either a catalog NAME or --file with --sha256.");
            }

            if (File is not null && (Sha256 is null || BaseUrl is null))
            {
                return ValidationResult.Error("--file needs --sha256 and --base-url.");
            }

            if (BaseUrl is not null && !(Uri.TryCreate(BaseUrl, UriKind.Absolute, out Uri? address) && address.Scheme is "http" or "https" or "file"))
            {
                return ValidationResult.Error($"--base-url '{BaseUrl}' is not an absolute http, https or file URL.");
            }

            if (Sha256 is not null && (Sha256.Length is < 8 or > 64 || !Sha256.All(Uri.IsHexDigit)))
            {
                return ValidationResult.Error($"--sha256 '{Sha256}' must be 8 to 64 hexadecimal digits (the file's SHA-256 or its leading digits).");
            }

            return ValidationResult.Success();
        }
    }

    /// <inheritdoc />
    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        PretrainedWeights weights = settings.Name is { } name ? WeightCatalog.Find(name) : Custom(settings);
        var cache = new WeightCache(new WeightCacheOptions
        {
            Folder = settings.Cache,
            BaseAddress = settings.BaseUrl is { } url ? new Uri(url.EndsWith('/') ? url : url + "/") : null,
        });
        var progress = new LineProgress(console);
        string path = cache.Get(weights, progress, cancellationToken);
        console.MarkupLineInterpolated($"[green]{weights.FileName}[/] is verified at {path}");
        return 0;
    }

    private static PretrainedWeights Custom(Settings settings) => new()
    {
        Name = settings.File!,
        Source = WeightSource.Custom,
        FileName = settings.File!,
        Sha256 = settings.Sha256!.ToLowerInvariant(),
        Architecture = Specs.NetworkPresets.EfficientNetB0,
        Layout = KeyLayout.Auto,
        Transform = EvalTransform.ImageNet(256, 224, Interpolation.Bilinear),
    };

    /// <summary>Prints progress every tenth of the file (or every 10 MB when the size is unknown).</summary>
    private sealed class LineProgress(IAnsiConsole console) : IProgress<DownloadProgress>
    {
        private long lastPrinted = -1;

        public void Report(DownloadProgress value)
        {
            if (value.WaitingForLock is TimeSpan waited)
            {
                console.MarkupLineInterpolated($"  {value.FileName}: another process is downloading it; waiting ({waited.TotalSeconds:0} s)");
                return;
            }

            long step = value.TotalBytes is long total and > 0 ? Math.Max(1, total / 10) : 10 << 20;
            if (value.BytesReceived / step == lastPrinted / step && value.BytesReceived != value.TotalBytes)
            {
                return;
            }

            lastPrinted = value.BytesReceived;
            string of = value.TotalBytes is long size ? $" of {SummaryTable.Bytes(size)}" : "";
            console.MarkupLineInterpolated($"  {value.FileName}: {SummaryTable.Bytes(value.BytesReceived)}{of}");
        }
    }
}
