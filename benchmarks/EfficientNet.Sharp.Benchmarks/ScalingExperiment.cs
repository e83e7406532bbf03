using System.Diagnostics;
using System.Globalization;
using EfficientNet.Sharp.Analysis;
using EfficientNet.Sharp.Data;
using EfficientNet.Sharp.Models;
using EfficientNet.Sharp.Planning;
using EfficientNet.Sharp.Scaling;
using EfficientNet.Sharp.Specs;
using EfficientNet.Sharp.Training;
using ScottPlot;
using TorchSharp;

namespace EfficientNet.Sharp.Benchmarks;

/// <summary>
/// The seed's central claim on real data: from a small base network, networks of about 2× and 4× its
/// multiply-accumulates made by compound scaling and by scaling width, depth or resolution alone, each trained
/// with one recipe and epoch budget on Fashion-MNIST and tested on its test split (docs/scaling-experiment.md).
/// </summary>
internal static class ScalingExperiment
{
    /// <summary>The base: φ = −4's width and depth multipliers (β⁻⁴, α⁻⁴) at 32 pixels, as the issue proposes.</summary>
    private static readonly CompoundCoefficients Coefficients = CompoundCoefficients.Paper;
    private const double BasePhi = -4;
    private const int BaseResolution = 32;

    public static void Run(string[] args)
    {
        int trainImages = CommandArguments.Integer(args, "--train-images", 10_000);
        int testImages = CommandArguments.Integer(args, "--test-images", 10_000);
        int epochs = CommandArguments.Integer(args, "--epochs", 3);
        int seed = CommandArguments.Integer(args, "--seed", 0);
        string output = CommandArguments.Text(args, "--output") ?? "scaling-experiment";
        Directory.CreateDirectory(output);

        ImageDataset train = FashionMnist.LoadTrain().Sample(trainImages, seed);
        ImageDataset test = testImages >= 10_000 ? FashionMnist.LoadTest() : FashionMnist.LoadTest().Sample(testImages, seed + 1);
        var options = new TrainingOptions { Epochs = epochs, BatchSize = 64, Seed = seed, LearningRate = 0.05, WarmupEpochs = 0.5 };

        NetworkSpec baseSpec = Spec(Coefficients.Width(BasePhi), Coefficients.Depth(BasePhi), BaseResolution);
        long baseMacs = Macs(baseSpec);
        var runs = new List<(string Mode, double Target, NetworkSpec Spec)> { ("base", 1, baseSpec) };
        foreach (double target in new[] { 2.0, 4.0 })
        {
            foreach (ScalingMode mode in Enum.GetValues<ScalingMode>())
            {
                runs.Add((mode.ToString(), target, Scaled(mode, target * baseMacs)));
            }
        }

        if (args.Contains("--plan"))
        {
            foreach ((string mode, double target, NetworkSpec spec) in runs)
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{mode,-15} {target}x: {Macs(spec) / 1e6:0.00} M MACs ({(double)Macs(spec) / baseMacs:0.00}x), {NetworkAnalyzer.Analyze(spec).Parameters:N0} parameters, width {spec.Scaling?.WidthMultiplier:0.000}, depth {spec.Scaling?.DepthMultiplier:0.000}, {spec.Resolution} px, {spec.Blocks.Count} blocks"));
            }

            return;
        }

        var clock = Stopwatch.StartNew();
        var rows = new List<Row>();
        Console.WriteLine($"Fashion-MNIST: {train.Count:N0} training images, {test.Count:N0} test images; {epochs} epochs, batch {options.BatchSize}, SGD {options.EffectiveLearningRate}, seed {seed}; {torch.get_num_threads()} threads");
        Console.WriteLine("| mode | target | MACs (M) | × base | params | width | depth | px | train s | test accuracy |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|---|---|");
        foreach ((string mode, double target, NetworkSpec spec) in runs)
        {
            using var network = new ConvNetwork(spec);
            using var trainer = new Trainer(network, options);
            var watch = Stopwatch.StartNew();
            trainer.Train(train);
            double seconds = watch.Elapsed.TotalSeconds;
            double accuracy = Evaluator.Evaluate(network, test, trainer.EvaluationTransform, 256).Accuracy;
            long macs = Macs(spec);
            var row = new Row(mode, target, macs, (double)macs / baseMacs, NetworkAnalyzer.Analyze(spec).Parameters, spec.Scaling?.WidthMultiplier ?? double.NaN, spec.Scaling?.DepthMultiplier ?? double.NaN, spec.Resolution, seconds, accuracy);
            rows.Add(row);
            Console.WriteLine(row.ToMarkdown());
        }

        Console.WriteLine($"total {clock.Elapsed.TotalMinutes:0.0} min");
        File.WriteAllLines(Path.Combine(output, "scaling-experiment.csv"), ["mode,target,macs,ratio,parameters,width,depth,resolution,train_seconds,test_accuracy", .. rows.Select(r => r.ToCsv())]);
        Plot(rows, Path.Combine(output, "scaling-experiment.png"));
    }

    /// <summary>The spec of one mode whose multiply-accumulates are nearest <paramref name="targetMacs"/> (bisection on the scale factor).</summary>
    private static NetworkSpec Scaled(ScalingMode mode, double targetMacs)
    {
        Func<double, NetworkSpec> at = mode switch
        {
            ScalingMode.Compound => phi => Spec(Coefficients.Width(BasePhi + phi), Coefficients.Depth(BasePhi + phi), Pixels(Coefficients.Resolution(phi))),
            ScalingMode.WidthOnly => s => Spec(Coefficients.Width(BasePhi) * s, Coefficients.Depth(BasePhi), BaseResolution),
            ScalingMode.DepthOnly => s => Spec(Coefficients.Width(BasePhi), Coefficients.Depth(BasePhi) * s, BaseResolution),
            ScalingMode.ResolutionOnly => s => Spec(Coefficients.Width(BasePhi), Coefficients.Depth(BasePhi), Pixels(s)),
            _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, "Unknown scaling mode."),
        };
        (double low, double high) = mode == ScalingMode.Compound ? (0.0, 6.0) : (1.0, 12.0);
        for (int i = 0; i < 40; i++)
        {
            double middle = (low + high) / 2;
            (Macs(at(middle)) < targetMacs ? ref low : ref high) = middle;
        }

        // Rounding makes the cost a staircase: take whichever side of the step lands closer.
        NetworkSpec below = at(low), above = at(high);
        return Math.Abs(Math.Log(Macs(below) / targetMacs)) <= Math.Abs(Math.Log(Macs(above) / targetMacs)) ? below : above;
    }

    /// <summary>
    /// Pixels rounded to a multiple of 8: at odd sizes the stride-2 layers round every map up (33 px costs 2.2× of
    /// 32 px), so the cost would jump with the rounding instead of following the multiplier.
    /// </summary>
    private static int Pixels(double multiplier) => 8 * (int)Math.Round(BaseResolution * multiplier / 8);

    private static NetworkSpec Spec(double width, double depth, int resolution) =>
        new EfficientNetBuilder().WithWidth(width).WithDepth(depth).WithResolution(resolution).WithNumClasses(10).BuildSpec();

    private static long Macs(NetworkSpec spec) => NetworkAnalyzer.Analyze(spec).MultiplyAccumulates;


    private static void Plot(List<Row> rows, string path)
    {
        var plot = new Plot();
        Row baseRow = rows.Single(r => r.Mode == "base");
        foreach (string mode in rows.Select(r => r.Mode).Where(m => m != "base").Distinct())
        {
            Row[] line = [baseRow, .. rows.Where(r => r.Mode == mode).OrderBy(r => r.Macs)];
            var scatter = plot.Add.Scatter(line.Select(r => r.Macs / 1e6).ToArray(), line.Select(r => r.Accuracy * 100).ToArray());
            scatter.LegendText = mode;
        }

        plot.Axes.Bottom.Label.Text = "multiply-accumulates per image (millions)";
        plot.Axes.Left.Label.Text = "Fashion-MNIST test accuracy (%)";
        plot.Title("Scaling from one base network: compound vs one dimension");
        plot.ShowLegend(Alignment.LowerRight);
        plot.SavePng(path, 1000, 650);
    }

    private sealed record Row(string Mode, double Target, long Macs, double Ratio, long Parameters, double Width, double Depth, int Resolution, double Seconds, double Accuracy)
    {
        public string ToMarkdown() => string.Create(CultureInfo.InvariantCulture,
            $"| {Mode} | {Target:0}× | {Macs / 1e6:0.00} | {Ratio:0.00} | {Parameters:N0} | {Width:0.000} | {Depth:0.000} | {Resolution} | {Seconds:0} | {Accuracy * 100:0.00}% |");

        public string ToCsv() => string.Create(CultureInfo.InvariantCulture,
            $"{Mode},{Target},{Macs},{Ratio:0.0000},{Parameters},{Width:0.0000},{Depth:0.0000},{Resolution},{Seconds:0.0},{Accuracy:0.0000}");
    }
}
