using EfficientNet.Sharp.Profiles;

namespace EfficientNet.Sharp.Tests.Profiles;

/// <summary>
/// Profiles whose kernel times follow a known law instead of a measurement, so that what the predictor makes of them
/// can be computed independently: every kernel of the suite's design costs <see cref="Coefficient"/> × work^<see cref="Exponent"/>.
/// </summary>
internal static class SyntheticProfiles
{
    public const double Coefficient = 2e-6;
    public const double Exponent = 0.9;
    public const double OverheadMilliseconds = 0.05;

    public static double PowerLaw(KernelShape shape) => Coefficient * Math.Pow(shape.Work, Exponent);

    public static DeviceProfile PowerLaw(int depthwiseChannelMultiple = 4, int threads = 2, IReadOnlyList<CalibrationNetwork>? calibration = null, Func<KernelShape, bool>? keep = null) => new()
    {
        Device = Facts(threads),
        DepthwiseChannelMultiple = depthwiseChannelMultiple,
        Calibration = calibration ?? [],
        Kernels =
        [
            new KernelMeasurement(KernelShape.RunOverhead, OverheadMilliseconds, 0.001, 100),
            .. KernelSuite.Design(depthwiseChannelMultiple).Where(keep ?? (_ => true)).Select(shape => new KernelMeasurement(shape, PowerLaw(shape), 0.01 * PowerLaw(shape), 20)),
        ],
    };

    public static DeviceFacts Facts(int threads) => new()
    {
        CpuModel = "Synthetic CPU",
        LogicalCores = 4,
        InstructionSets = ["avx2"],
        MemoryBytes = 8L << 30,
        OperatingSystem = "test",
        Runtime = "onnxruntime",
        RuntimeVersion = "1.0",
        Threads = threads,
        Precision = "float32",
        MeasuredAt = new DateTimeOffset(2026, 12, 4, 0, 0, 0, TimeSpan.Zero),
    };
}
