using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using EfficientNet.Sharp.Cli.Errors;
using EfficientNet.Sharp.Cli.Limits;
using EfficientNet.Sharp.IO;
using EfficientNet.Sharp.OnnxRuntime;
using EfficientNet.Sharp.Profiles;
using Spectre.Console;
using Spectre.Console.Cli;

namespace EfficientNet.Sharp.Cli.Commands;

/// <summary>
/// <c>effnet profile-device --output FILE</c>: times the kernel suite on this machine in ONNX Runtime (no libtorch) and
/// writes the device profile that <c>effnet predict</c> and <c>effnet fit --device FILE</c> read on any machine.
/// </summary>
internal sealed class ProfileDeviceCommand(IAnsiConsole console, Diagnostics diagnostics) : Command<ProfileDeviceCommand.Settings>
{
    /// <summary>Options of <c>effnet profile-device</c>.</summary>
    public sealed class Settings : CommandSettings, IUsesLibTorch
    {
        [CommandOption("-o|--output <FILE>")]
        [Description("The profile to write (JSON); replaced if it exists.")]
        public string? Output { get; init; }

        [CommandOption("--threads <COUNT>")]
        [Description("ONNX Runtime's intra-op threads, as the deployed network will run (default: all cores). Predictions hold for this count only.")]
        public int? Threads { get; init; }

        [CommandOption("--int8")]
        [Description("Profile int8 deployment: convolutions timed as the integer kernels 'export --int8' files run on; predictions from the profile are for int8 files.")]
        public bool Int8 { get; init; }

        /// <summary>Kernels run in ONNX Runtime alone.</summary>
        public bool NeedsLibTorch => false;

        /// <inheritdoc />
        public override ValidationResult Validate() =>
            string.IsNullOrWhiteSpace(Output) ? ValidationResult.Error("Give --output FILE: where to write the profile.")
            : ThreadLimit.Problem(Threads) is { } threads ? ValidationResult.Error(threads)
            : ValidationResult.Success();
    }

    /// <inheritdoc />
    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        string output = settings.Output!;
        OutputPath.CheckReplaceable(Path.GetFullPath(output));
        int threads = settings.Threads ?? Environment.ProcessorCount;
        var clock = Stopwatch.StartNew();
        var progress = new ProfileProgress(diagnostics, clock);
        DeviceProfile profile = new DeviceProfiler(threads) { Int8 = settings.Int8 }.Measure(progress, cancellationToken);
        diagnostics.EndProgress();
        profile.Save(output);
        console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Device profile written to {output}: {profile.Kernels.Count} kernels in {clock.Elapsed:m\\:ss}."));
        console.WriteLine($"Device: {profile.Device}");
        string which = profile.Device.IsInt8 ? "Integer convolutions run fastest reading" : "Depthwise convolutions run fastest with";
        console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{which} channels a multiple of {profile.DepthwiseChannelMultiple}."));
        console.WriteLine(profile.BlockedLayoutChannelMultiple is > 0 and int multiple
            ? string.Create(CultureInfo.InvariantCulture, $"The runtime keeps convolutions with channels a multiple of {multiple} in its blocked layout{(profile.BlockedLayoutBlock is > 1 and int block ? $", computing their channels in blocks of {block}" : "")}.")
            : "The runtime has no blocked layout for convolutions here.");
        if (profile.WeightStreaming is { } streaming)
        {
            console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Networks of more than {streaming.CacheMegabytes:0.#} MB of weights read them from memory on every run, at {streaming.GigabytesPerSecond:0.#} GB/s."));
        }

        return ExitCodes.Success;
    }
}
