using EfficientNet.Sharp.Specs;

namespace EfficientNet.Sharp.Profiles;

/// <summary>
/// How a network's kernels, each timed alone, add up inside the network on the profiled device, fitted to the profile's
/// calibration networks (docs/device-fit.md, "Calibration"). A kernel alone pays costs a network does not: a fixed cost
/// per run (measured as a saving per kernel, its cause not) and, for a convolution, converting its input and output to
/// and from the runtime's blocked layout, which grows with their elements (ONNX Runtime's optimised graphs show it). A
/// convolution the runtime does not block (its channels off the layout's multiple, <see cref="KernelShape.RunsBlocked"/>)
/// converts nothing and is taken at its time alone. So a network's kernel time is
/// <c>unblocked + scale × (Σ alone − unblocked) − perKernel × kernels − perEdgeElement × blocked convolution edge elements</c>,
/// with the scale per family and along its networks' size (each family's calibration networks give their own
/// <see cref="FamilyScale"/>; the device-wide one serves a family the profile has none of; without savings, as in an
/// int8 profile, along their resolution, <see cref="AlongResolution"/>) and the two savings per device, the savings
/// taking no network's factor below the least its family's calibration networks were given (<see cref="FactorFor"/>). In an int8 profile, ragged integer convolutions (<see cref="KernelGrid.Ragged"/>) count in
/// the scaled time, and take the factor, times <see cref="RaggedFactor"/>.
/// </summary>
internal sealed class KernelCalibration
{
    /// <summary>What the calibration reads of a network's kernels timed alone, the run overhead left out.</summary>
    /// <param name="Alone">The sum of their times alone.</param>
    /// <param name="Unblocked">The part of it spent in convolutions the runtime does not block.</param>
    /// <param name="Count">The kernels.</param>
    /// <param name="EdgeElements">The elements the blocked convolutions read and write.</param>
    /// <param name="Ragged">The part of it spent in ragged integer convolutions (<see cref="KernelGrid.Ragged"/>), which the scale applies to times <see cref="RaggedFactor"/>.</param>
    internal sealed record KernelSums(double Alone, double Unblocked, int Count, double EdgeElements, double Ragged = 0)
    {
        /// <summary>The time alone that the scale applies to.</summary>
        public double Scaled => Alone - Unblocked;

        /// <summary>The time alone that the scale applies to, its ragged part weighed by <paramref name="raggedFactor"/>.</summary>
        public double Weighed(double raggedFactor) => Scaled + ((raggedFactor - 1) * Ragged);
    }

    /// <summary>A calibration network's measured time, its resolution and its kernels.</summary>
    internal sealed record Network(NetworkFamily Family, double Measured, double Overhead, KernelSums Sums, int Resolution)
    {
        /// <summary>The measured time without the run overhead and the unblocked convolutions: what the scaled kernels took inside the network.</summary>
        public double Inside => Measured - Overhead - Sums.Unblocked;
    }

    private readonly Dictionary<NetworkFamily, FamilyScale> familyScales;

    /// <summary>The least factor each family's calibration networks were given: how far down the savings were fitted.</summary>
    private readonly Dictionary<NetworkFamily, double> leastFamilyFactors;

    private KernelCalibration(double scale, double perKernel, double perEdgeElement, double raggedFactor, Dictionary<NetworkFamily, FamilyScale> familyScales, Dictionary<NetworkFamily, double> leastFamilyFactors)
    {
        Scale = scale;
        RaggedFactor = raggedFactor;
        PerKernel = perKernel;
        PerEdgeElement = perEdgeElement;
        this.familyScales = familyScales;
        this.leastFamilyFactors = leastFamilyFactors;
    }

    /// <summary>No calibration: kernels cost inside a network what they cost alone.</summary>
    public static KernelCalibration None { get; } = new(1, 0, 0, 1, [], []);

    /// <summary>The device-wide scale on kernel times alone.</summary>
    public double Scale { get; }

    /// <summary>
    /// Whether a family's scale follows its networks' resolution rather than their size: where the calibration has no
    /// savings (an int8 profile's, or one whose savings did not fit), nothing else in it changes with the map, while a
    /// saving per edge element grows with the map's pixels. Int8 networks' time inside against alone fell with the
    /// resolution more closely than with their size; read along resolution, a blind int8 check scored 88 % within
    /// ±10 % against 86 % along size, and seven of nine earlier int8 checks scored the same or better
    /// (docs/device-fit.md, "Int8: the family scale along resolution").
    /// </summary>
    public bool AlongResolution => SavesNothing(PerKernel, PerEdgeElement);

    /// <summary>Whether a calibration with these savings has none: its family scales then follow resolution (<see cref="AlongResolution"/>).</summary>
    private static bool SavesNothing(double perKernel, double perEdgeElement) => perKernel == 0 && perEdgeElement == 0;

    /// <summary>Where a network lies on its family's scale: its resolution, or its weighed time alone (<see cref="AlongResolution"/>).</summary>
    private static double Axis(bool alongResolution, double weighed, int resolution) => alongResolution ? resolution : weighed;

    /// <summary>Milliseconds a network saves per kernel against the kernel timed alone.</summary>
    public double PerKernel { get; }

    /// <summary>Milliseconds a network saves per element a convolution reads or writes, against the convolution alone.</summary>
    public double PerEdgeElement { get; }

    /// <summary>
    /// What a ragged integer convolution's factor is, relative to its network's (<see cref="FactorFor"/>): it saves less
    /// inside a network against its time alone than an aligned one does (docs/device-fit.md, "Int8 channel remainders").
    /// Fitted to the calibration networks holding ragged convolutions, against their family's networks holding none;
    /// 1 without such networks.
    /// </summary>
    public double RaggedFactor { get; }

    /// <summary>
    /// The factor on the times alone of a network's kernels (but its unblocked convolutions) that gives their time inside
    /// it: its family's scale at its size (<see cref="FamilyScale"/>) less the savings, spread over those kernels in
    /// proportion to their time (so that the parts still add up to the prediction). The savings are not extrapolated:
    /// the factor is at least the least its family's calibration networks were given (a network far smaller than them,
    /// whose many small kernels would otherwise save most of their time, gets the smallest one's; MobileNetV3-Small at
    /// 0.36 and 125 px was predicted at 0.44× its time without this bound), and, for a family without any, not below a
    /// quarter of the scale.
    /// </summary>
    public double FactorFor(NetworkFamily family, KernelSums sums, int resolution)
    {
        double weighed = sums.Weighed(RaggedFactor);
        double scale = familyScales.TryGetValue(family, out FamilyScale? own) ? own.At(Axis(AlongResolution, weighed, resolution)) : Scale;
        double factor = weighed <= 0 ? scale : scale - (Savings(PerKernel, PerEdgeElement, sums) / weighed);
        return Math.Max(factor, leastFamilyFactors.TryGetValue(family, out double least) ? least : scale / 4);
    }

    /// <summary>What a network's kernels save inside it against their times alone, in milliseconds.</summary>
    private static double Savings(double perKernel, double perEdgeElement, KernelSums sums) =>
        (perKernel * sums.Count) + (perEdgeElement * sums.EdgeElements);

    /// <summary>The scale of a family at its calibration networks' mean size (the device-wide one where the profile has no network of it).</summary>
    public double ScaleOf(NetworkFamily family) => familyScales.TryGetValue(family, out FamilyScale? own) ? own.Mean : Scale;

    /// <summary>
    /// Fits the calibration. The savings need at least <see cref="MinimumForSavings"/> networks and come out positive on a
    /// device where alone costs more; otherwise (or when <paramref name="withSavings"/> is false) the calibration is a
    /// scale alone, as it is in int8 profiles, for which the savings were not validated.
    /// </summary>
    public static KernelCalibration Fit(IReadOnlyList<Network> networks, bool withSavings)
    {
        Network[] usable = [.. networks.Where(network => network.Sums.Scaled > 0 && network.Inside > 0)];
        if (usable.Length == 0)
        {
            return None;
        }

        (double scale, double perKernel, double perEdgeElement) = withSavings && usable.Length >= MinimumForSavings && FitWithSavings(usable) is { } fitted
            ? fitted
            : (MedianRatio(usable), 0, 0);
        bool alongResolution = SavesNothing(perKernel, perEdgeElement);
        double raggedFactor = FitRaggedFactor(usable, perKernel, perEdgeElement, alongResolution);
        Dictionary<NetworkFamily, FamilyScale> familyScales = usable.GroupBy(network => network.Family).ToDictionary(
            group => group.Key,
            group => FamilyScaleOf(group, perKernel, perEdgeElement, raggedFactor, alongResolution));
        Dictionary<NetworkFamily, double> leastFamilyFactors = usable.GroupBy(network => network.Family).ToDictionary(
            group => group.Key,
            group => group.Min(network =>
            {
                double weighed = network.Sums.Weighed(raggedFactor);
                return familyScales[group.Key].At(Axis(alongResolution, weighed, network.Resolution)) - (Savings(perKernel, perEdgeElement, network.Sums) / weighed);
            }));
        return new KernelCalibration(scale, perKernel, perEdgeElement, raggedFactor, familyScales, leastFamilyFactors);
    }

    /// <summary>A family's scale along its networks' size (or resolution), their ragged convolutions weighed by <paramref name="raggedFactor"/>.</summary>
    private static FamilyScale FamilyScaleOf(IEnumerable<Network> family, double perKernel, double perEdgeElement, double raggedFactor, bool alongResolution) =>
        FamilyScale.Fit([.. family.Select(network =>
        {
            double weighed = network.Sums.Weighed(raggedFactor);
            return (Math.Log(Axis(alongResolution, weighed, network.Resolution)), Math.Log((network.Inside + Savings(perKernel, perEdgeElement, network.Sums)) / weighed));
        })]);

    /// <summary>
    /// The ragged factor: for each calibration network holding ragged convolutions, in a family with networks holding
    /// none, what its ragged part took inside it (its time less its other kernels at the scale the others give its
    /// size) over that scale times the part alone; their geometric mean, or 1 without such networks.
    /// </summary>
    private static double FitRaggedFactor(Network[] networks, double perKernel, double perEdgeElement, bool alongResolution)
    {
        var factors = new List<double>();
        foreach (IGrouping<NetworkFamily, Network> family in networks.GroupBy(network => network.Family))
        {
            Network[] plain = [.. family.Where(network => network.Sums.Ragged <= 0)];
            if (plain.Length == 0)
            {
                continue;
            }

            FamilyScale scale = FamilyScaleOf(plain, perKernel, perEdgeElement, raggedFactor: 1, alongResolution);
            foreach (Network network in family.Where(network => network.Sums.Ragged > 0))
            {
                double at = scale.At(Axis(alongResolution, network.Sums.Scaled, network.Resolution));
                double others = (at * (network.Sums.Scaled - network.Sums.Ragged)) - Savings(perKernel, perEdgeElement, network.Sums);
                double factor = (network.Inside - others) / (at * network.Sums.Ragged);
                if (factor > 0)
                {
                    factors.Add(factor);
                }
            }
        }

        return factors.Count == 0 ? 1 : Math.Exp(factors.Average(Math.Log));
    }

    /// <summary>Networks below which the two savings are not fitted: three unknowns need a few networks more than three.</summary>
    public const int MinimumForSavings = 6;

    /// <summary>
    /// Least squares on relative errors (each network weighted by 1 / its time squared, so that small networks count as
    /// much as large ones): inside ≈ scale × scaled alone − perKernel × kernels − perEdgeElement × edge elements. Null when a
    /// saving comes out negative or the scale not positive: then the form does not describe the device.
    /// </summary>
    private static (double Scale, double PerKernel, double PerEdgeElement)? FitWithSavings(Network[] networks)
    {
        double[,] normal = new double[3, 4];
        foreach (Network network in networks)
        {
            double weight = 1 / (network.Inside * network.Inside);
            double[] x = [network.Sums.Scaled, -network.Sums.Count, -network.Sums.EdgeElements];
            for (int i = 0; i < 3; i++)
            {
                normal[i, 3] += weight * x[i] * network.Inside;
                for (int j = 0; j < 3; j++)
                {
                    normal[i, j] += weight * x[i] * x[j];
                }
            }
        }

        double[]? solution = Solve(normal);
        return solution is [> 0, >= 0, >= 0] ? (solution[0], solution[1], solution[2]) : null;
    }

    /// <summary>Gaussian elimination with partial pivoting on an n × (n + 1) augmented matrix; null when singular.</summary>
    private static double[]? Solve(double[,] augmented)
    {
        int n = augmented.GetLength(0);
        for (int column = 0; column < n; column++)
        {
            int pivot = Enumerable.Range(column, n - column).MaxBy(row => Math.Abs(augmented[row, column]));
            if (Math.Abs(augmented[pivot, column]) < 1e-300)
            {
                return null;
            }

            for (int k = 0; k <= n; k++)
            {
                (augmented[column, k], augmented[pivot, k]) = (augmented[pivot, k], augmented[column, k]);
            }

            for (int row = 0; row < n; row++)
            {
                if (row != column)
                {
                    double factor = augmented[row, column] / augmented[column, column];
                    for (int k = column; k <= n; k++)
                    {
                        augmented[row, k] -= factor * augmented[column, k];
                    }
                }
            }
        }

        return [.. Enumerable.Range(0, n).Select(row => augmented[row, n] / augmented[row, row])];
    }

    private static double MedianRatio(Network[] networks)
    {
        double[] ratios = [.. networks.Select(network => network.Inside / network.Sums.Scaled).Order()];
        int middle = ratios.Length / 2;
        return ratios.Length % 2 == 1 ? ratios[middle] : Math.Sqrt(ratios[middle - 1] * ratios[middle]);
    }

    /// <summary>
    /// A family's scale as a function of its networks' size: a line in log(scale) against log(scaled time alone) (or log
    /// resolution, <see cref="AlongResolution"/>),
    /// fitted by least squares to the family's calibration networks (flat with one, or with all of one size), and held
    /// flat beyond the smallest and the largest of them, so that it interpolates and never extrapolates. With one scale
    /// per family, an int8 check predicted MobileNetV2's calibration networks at 0.77× their time at 0.5 and 128 px
    /// and 1.19× at 0.75 and 288 px (docs/device-fit.md, "Calibration"): small ones low, large ones high.
    /// </summary>
    /// <param name="Mean">The scale at the networks' mean log size (their geometric mean scale).</param>
    /// <param name="MeanLogScaled">The mean log size.</param>
    /// <param name="Slope">d log(scale) / d log(size).</param>
    /// <param name="LeastLogScaled">The smallest network's log size.</param>
    /// <param name="MostLogScaled">The largest network's log size.</param>
    internal sealed record FamilyScale(double Mean, double MeanLogScaled, double Slope, double LeastLogScaled, double MostLogScaled)
    {
        /// <summary>The scale of a network whose scaled time alone is <paramref name="scaled"/> milliseconds (or whose resolution is, along resolution).</summary>
        public double At(double scaled) => Mean * Math.Exp(Slope * (Math.Clamp(Math.Log(scaled), LeastLogScaled, MostLogScaled) - MeanLogScaled));

        /// <summary>The line through each network's log size and log scale.</summary>
        public static FamilyScale Fit(IReadOnlyList<(double LogScaled, double LogScale)> networks)
        {
            double meanX = networks.Average(network => network.LogScaled), meanY = networks.Average(network => network.LogScale);
            double sxx = networks.Sum(network => (network.LogScaled - meanX) * (network.LogScaled - meanX));
            double slope = sxx > 1e-9 ? networks.Sum(network => (network.LogScaled - meanX) * (network.LogScale - meanY)) / sxx : 0;
            return new FamilyScale(Math.Exp(meanY), meanX, slope, networks.Min(network => network.LogScaled), networks.Max(network => network.LogScaled));
        }
    }
}
