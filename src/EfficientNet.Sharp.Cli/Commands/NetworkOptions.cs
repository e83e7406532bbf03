using System.ComponentModel;
using EfficientNet.Sharp.Scaling;
using EfficientNet.Sharp.Specs;
using Spectre.Console;
using Spectre.Console.Cli;

namespace EfficientNet.Sharp.Cli.Commands;

/// <summary>The options that choose a network; shared by every command that works on one.</summary>
internal class NetworkOptions : CommandSettings
{
    [CommandOption("-m|--model <MODEL>")]
    [Description("Family: efficientnet (default), efficientnet-v2-s|m|l, mobilenet-v1, mobilenet-v2, mobilenet-v3-large or mobilenet-v3-small.")]
    [DefaultValue("efficientnet")]
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

        string model = Model.ToLowerInvariant();
        if (model is not ("efficientnet" or "efficientnet-v2-s" or "efficientnet-v2-m" or "efficientnet-v2-l" or "mobilenet-v1" or "mobilenet-v2" or "mobilenet-v3-large" or "mobilenet-v3-small"))
        {
            return ValidationResult.Error($"Unknown --model '{Model}': use efficientnet, efficientnet-v2-s, efficientnet-v2-m, efficientnet-v2-l, mobilenet-v1, mobilenet-v2, mobilenet-v3-large or mobilenet-v3-small.");
        }

        if (model != "efficientnet" && (Phi is not null || anyCoefficient))
        {
            return ValidationResult.Error("--phi, --alpha, --beta and --gamma apply to --model efficientnet only.");
        }

        if (!model.StartsWith("efficientnet", StringComparison.Ordinal) && Depth is not null)
        {
            return ValidationResult.Error("--depth applies to --model efficientnet and efficientnet-v2-s|m|l only.");
        }

        return ValidationResult.Success();
    }

    /// <summary>Builds the spec these options describe.</summary>
    /// <exception cref="ArgumentException">A value is out of range; the message names it.</exception>
    public NetworkSpec BuildSpec() => Model.ToLowerInvariant() switch
    {
        "mobilenet-v1" => BuildMobileNetV1(),
        "mobilenet-v2" => BuildMobileNetV2(),
        "efficientnet-v2-s" => BuildEfficientNetV2(new EfficientNetV2Builder()),
        "efficientnet-v2-m" => BuildEfficientNetV2(new EfficientNetV2Builder().Medium()),
        "efficientnet-v2-l" => BuildEfficientNetV2(new EfficientNetV2Builder().Large()),
        "mobilenet-v3-large" => BuildMobileNetV3(new MobileNetV3Builder()),
        "mobilenet-v3-small" => BuildMobileNetV3(new MobileNetV3Builder().Small()),
        "efficientnet" => BuildEfficientNet(),
        _ => throw new ArgumentException($"Unknown --model '{Model}'.", nameof(Model)),
    };

    private NetworkSpec BuildEfficientNet()
    {
        EfficientNetBuilder builder = new EfficientNetBuilder().WithPhi(Phi ?? 0);
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

    private NetworkSpec BuildMobileNetV1()
    {
        var builder = new MobileNetV1Builder();
        builder = Width is double width ? builder.WithWidth(width) : builder;
        builder = Resolution is int resolution ? builder.WithResolution(resolution) : builder;
        builder = Classes is int classes ? builder.WithNumClasses(classes) : builder;
        return builder.BuildSpec();
    }

    private NetworkSpec BuildEfficientNetV2(EfficientNetV2Builder builder)
    {
        builder = Width is double width ? builder.WithWidth(width) : builder;
        builder = Depth is double depth ? builder.WithDepth(depth) : builder;
        builder = Resolution is int resolution ? builder.WithResolution(resolution) : builder;
        builder = Classes is int classes ? builder.WithNumClasses(classes) : builder;
        return builder.BuildSpec();
    }

    private NetworkSpec BuildMobileNetV3(MobileNetV3Builder builder)
    {
        builder = Width is double width ? builder.WithWidth(width) : builder;
        builder = Resolution is int resolution ? builder.WithResolution(resolution) : builder;
        builder = Classes is int classes ? builder.WithNumClasses(classes) : builder;
        return builder.BuildSpec();
    }

    private NetworkSpec BuildMobileNetV2()
    {
        var builder = new MobileNetV2Builder();
        builder = Width is double width ? builder.WithWidth(width) : builder;
        builder = Resolution is int resolution ? builder.WithResolution(resolution) : builder;
        builder = Classes is int classes ? builder.WithNumClasses(classes) : builder;
        return builder.BuildSpec();
    }
}
