using System.ComponentModel;
using EfficientNet.Sharp.Models;
using EfficientNet.Sharp.Scaling;
using EfficientNet.Sharp.Specs;
using Spectre.Console;
using Spectre.Console.Cli;

namespace EfficientNet.Sharp.Cli.Commands;

/// <summary>The options that choose a network; shared by every command that works on one.</summary>
internal class NetworkOptions : CommandSettings
{
    [CommandOption("-m|--model <MODEL>")]
    [Description("efficientnet (default; scaled by --phi) or a model name from 'effnet models': efficientnet_b0 … b7 (b0 …), efficientnet_v2_s|m|l, efficientnet_lite0 … 4, mobilenet_v1, mobilenet_v2, mobilenet_v3_large|small. Hyphens work as underscores.")]
    public string Model { get; init; } = "efficientnet";

    [CommandOption("--phi <PHI>")]
    [Description("EfficientNet compound coefficient φ: 0…7 give B0–B7, fractions interpolate, negative values scale below B0 (write --phi=-1).")]
    public double? Phi { get; init; }

    [CommandOption("--alpha <ALPHA>")]
    [Description("EfficientNet depth factor α for pure compound scaling (needs --beta and --gamma).")]
    public double? Alpha { get; init; }

    [CommandOption("--beta <BETA>")]
    [Description("EfficientNet width factor β for pure compound scaling.")]
    public double? Beta { get; init; }

    [CommandOption("--gamma <GAMMA>")]
    [Description("EfficientNet resolution factor γ for pure compound scaling.")]
    public double? Gamma { get; init; }

    [CommandOption("--width <MULTIPLIER>")]
    [Description("Width multiplier (EfficientNet w, MobileNet α); overrides the one φ gives.")]
    public double? Width { get; init; }

    [CommandOption("--depth <MULTIPLIER>")]
    [Description("EfficientNet depth multiplier d; overrides the one φ gives.")]
    public double? Depth { get; init; }

    [CommandOption("--resolution <PIXELS>")]
    [Description("Input size in pixels; overrides the one φ gives.")]
    public int? Resolution { get; init; }

    [CommandOption("--classes <COUNT>")]
    [Description("Number of classes (default 1000).")]
    public int? Classes { get; init; }

    /// <inheritdoc />
    public override ValidationResult Validate()
    {
        bool anyCoefficient = Alpha is not null || Beta is not null || Gamma is not null;
        bool allCoefficients = Alpha is not null && Beta is not null && Gamma is not null;
        if (anyCoefficient && !allCoefficients)
        {
            return ValidationResult.Error("--alpha, --beta and --gamma go together.");
        }

        if (IsScaledEfficientNet)
        {
            return ValidationResult.Success();
        }

        if (ModelRegistry.Find(Model) is not { } entry)
        {
            return ValidationResult.Error($"Unknown --model '{Model}': use efficientnet or a name that 'effnet models' lists.");
        }

        if (Phi is not null || anyCoefficient)
        {
            return ValidationResult.Error($"--phi, --alpha, --beta and --gamma apply to --model efficientnet only, not {entry.Name}.");
        }

        if (Depth is not null && !entry.ScalesDepth)
        {
            return ValidationResult.Error($"--depth does not apply: {entry.NoDepthMessage}");
        }

        if (Width is not null && !entry.ScalesWidth)
        {
            return ValidationResult.Error($"--width does not apply: {entry.NoWidthMessage}");
        }

        return ValidationResult.Success();
    }

    /// <summary>Whether <c>--model</c> names the EfficientNet family itself, scaled by <c>--phi</c> or the coefficients.</summary>
    private bool IsScaledEfficientNet => NamesScaledEfficientNet(Model);

    /// <summary>Whether a <c>--model</c> value names the EfficientNet family itself (<c>efficientnet</c>) rather than a registry model.</summary>
    internal static bool NamesScaledEfficientNet(string model) => string.Equals(model.Trim(), "efficientnet", StringComparison.OrdinalIgnoreCase);

    /// <summary>Builds the spec these options describe.</summary>
    /// <exception cref="ArgumentException">A value is out of range; the message names it.</exception>
    public NetworkSpec BuildSpec()
    {
        if (IsScaledEfficientNet)
        {
            return BuildEfficientNet(Phi ?? 0);
        }

        // A registry model is rebuilt by its family's builder (ModelRegistry holds which one), so channel rounding and names are the family's.
        return ModelRegistry.Get(Model).BuildSpec(new ModelOverrides { Width = Width, Depth = Depth, Resolution = Resolution, NumClasses = Classes });
    }

    private NetworkSpec BuildEfficientNet(double phi)
    {
        EfficientNetBuilder builder = new EfficientNetBuilder().WithPhi(phi);
        if (Alpha is double alpha && Beta is double beta && Gamma is double gamma)
        {
            builder = builder.WithCoefficients(alpha, beta, gamma);
        }

        if (Width is double width)
        {
            builder = builder.WithWidth(width);
        }

        if (Depth is double depth)
        {
            builder = builder.WithDepth(depth);
        }

        if (Resolution is int resolution)
        {
            builder = builder.WithResolution(resolution);
        }

        if (Classes is int classes)
        {
            builder = builder.WithNumClasses(classes);
        }

        return builder.BuildSpec();
    }
}
