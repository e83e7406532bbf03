using System.Globalization;
using EfficientNet.Sharp.Analysis;
using EfficientNet.Sharp.Models;
using EfficientNet.Sharp.Profiles;
using EfficientNet.Sharp.Specs;

namespace EfficientNet.Sharp.Benchmarks.DeviceFit;

/// <summary>
/// The networks a device profile's predictions are checked on: drawn at random (a fixed seed), seven per family, with
/// widths 0.35–1.4, depth multipliers 0.5–2 where the family scales depth and resolutions 96–320 px, each value off the
/// grid the kernel suite and its calibration networks were designed from (<c>KernelSuite</c>), so none was seen while
/// the profile was designed or calibrated. Two sets: the development set (<see cref="DevelopmentSeed"/>), on which the
/// predictor's calibration was chosen on 2026-12-05 and which is therefore no longer held out, and the validation set
/// (<see cref="ValidationSeed"/>, the default), drawn after that choice and used for nothing but checking it.
/// </summary>
public static class HeldOutNetworks
{
    /// <summary>
    /// The families. Where a family does not scale width (EfficientNet-Lite's variants are fixed), its variants are
    /// drawn instead; the B models differ only in the width, depth and resolution drawn here, so B0 stands for them.
    /// </summary>
    private static readonly string[][] Families =
    [
        ["mobilenet_v1"], ["mobilenet_v2"], ["mobilenet_v3_large"], ["mobilenet_v3_small"], ["efficientnet_b0"],
        ["efficientnet_lite0", "efficientnet_lite1", "efficientnet_lite2", "efficientnet_lite3", "efficientnet_lite4"], ["efficientnet_v2_s"],
    ];

    private static readonly double[] GridWidths = [0.35, 0.5, 0.75, 1.0, 1.25, 1.4];
    private static readonly double[] GridDepths = [0.5, 1.0, 2.0];

    public const int PerFamily = 7;

    /// <summary>The seed of the set the calibration's form was chosen on (docs/device-fit.md, 2026-12-04 and -05 runs).</summary>
    public const int DevelopmentSeed = 2026;

    /// <summary>The seed of the set drawn after that choice.</summary>
    public const int ValidationSeed = 5179;

    /// <summary>The held-out networks as "model w0.83 d1.27 r187" (no w or d where the family does not scale them).</summary>
    /// <param name="seed">The set: <see cref="ValidationSeed"/> (default) or <see cref="DevelopmentSeed"/>.</param>
    public static IReadOnlyList<string> Names(int seed = ValidationSeed)
    {
        var names = new List<string>();
        for (int f = 0; f < Families.Length; f++)
        {
            var random = new Random(seed + f); // one stream per family: a family's draws do not move another's
            var drawn = new List<string>();
            while (drawn.Count < PerFamily)
            {
                RegisteredModel model = ModelRegistry.Get(Families[f][random.Next(Families[f].Length)]);
                double? width = model.ScalesWidth ? Math.Round(Draw(random, 0.35, 1.4), 2) : null;
                double? depth = model.ScalesDepth ? Math.Round(Draw(random, 0.5, 2.0), 2) : null;
                int resolution = random.Next(96, 321);
                if ((width is double w && GridWidths.Contains(w)) || (depth is double d && GridDepths.Contains(d)) || resolution % 32 == 0)
                {
                    continue; // on the design grid of the calibration networks
                }

                string name = Name(model.Name, width, depth, resolution);
                if (!drawn.Contains(name))
                {
                    drawn.Add(name);
                }
            }

            names.AddRange(drawn);
        }

        return names;
    }

    /// <summary>The seed of the set outside the design range (<see cref="Outside"/>), drawn after extrapolation's rule was chosen on 2026-12-06.</summary>
    public const int OutsideSeed = 8311;

    /// <summary>Networks per family in the set outside the design range.</summary>
    public const int OutsidePerFamily = 5;

    /// <summary>The most multiply-accumulates a network outside the range may have: kept to a few hundred milliseconds a run at one thread.</summary>
    private const double OutsideMostGigaMultiplyAccumulates = 8;

    /// <summary>
    /// Networks outside the range the kernel suite is designed for, where predictions extrapolate (docs/device-fit.md,
    /// "Outside the grid"): five per family, drawn like <see cref="Names"/> but with resolutions 32–95 px (three in
    /// four) or 321–448 px, widths 0.15–2 and depth multipliers 0.3–3 (both in log scale), and no more than
    /// <see cref="OutsideMostGigaMultiplyAccumulates"/> GMACs.
    /// </summary>
    public static IReadOnlyList<string> Outside()
    {
        var names = new List<string>();
        for (int f = 0; f < Families.Length; f++)
        {
            var random = new Random(OutsideSeed + f);
            var drawn = new List<string>();
            while (drawn.Count < OutsidePerFamily)
            {
                RegisteredModel model = ModelRegistry.Get(Families[f][random.Next(Families[f].Length)]);
                double? width = model.ScalesWidth ? Math.Round(Draw(random, 0.15, 2.0), 2) : null;
                double? depth = model.ScalesDepth ? Math.Round(Draw(random, 0.3, 3.0), 2) : null;
                int resolution = random.Next(4) < 3 ? random.Next(32, 96) : random.Next(321, 449);
                string name = Name(model.Name, width, depth, resolution);
                if (!drawn.Contains(name) && NetworkAnalyzer.Analyze(Spec(name)).GigaMultiplyAccumulates <= OutsideMostGigaMultiplyAccumulates)
                {
                    drawn.Add(name);
                }
            }

            names.AddRange(drawn);
        }

        return names;
    }

    /// <summary>
    /// The profile's own calibration networks, timed with the held-out ones but not counted with them: how far this
    /// run's machine is from the one the profile measured, family by family (a shared machine's speed drifts between
    /// windows, and not by the same factor for every network). An int8 profile's and a float profile's, which each have
    /// networks the other has not: a check times both, and its report passes over those its profile lacks.
    /// </summary>
    public static IReadOnlyList<string> Anchors { get; } = [.. KernelSuite.CalibrationDesign(int8: true).Concat(KernelSuite.CalibrationDesign(int8: false))
        .Select(network => Name(network.Model, network.Width, network.Depth, network.Resolution)).Distinct()];

    /// <summary>A calibration network's name as an anchor.</summary>
    public static string NameOf(CalibrationNetwork network) => Name(network.Model, network.Width, network.Depth, network.Resolution);

    /// <summary>A network's name, as <see cref="Spec"/> reads it: "model w0.83 d1.27 r187" (no w or d where not given).</summary>
    public static string Name(string model, double? width, double? depth, int resolution) =>
        string.Create(CultureInfo.InvariantCulture, $"{model}{(width is double w ? $" w{w:0.00}" : "")}{(depth is double d ? $" d{d:0.00}" : "")} r{resolution}");

    /// <summary>The network a name stands for.</summary>
    public static NetworkSpec Spec(string name)
    {
        string[] parts = name.Split(' ');
        double? Value(char prefix) => parts.Skip(1).FirstOrDefault(part => part[0] == prefix) is { } part
            ? double.Parse(part[1..], CultureInfo.InvariantCulture)
            : null;
        return ModelRegistry.Get(parts[0]).BuildSpec(new ModelOverrides { Width = Value('w'), Depth = Value('d'), Resolution = (int?)Value('r') });
    }

    /// <summary>A value drawn uniformly in log scale, so that small and large multipliers are equally represented.</summary>
    private static double Draw(Random random, double low, double high) => Math.Exp(Math.Log(low) + (random.NextDouble() * Math.Log(high / low)));
}
