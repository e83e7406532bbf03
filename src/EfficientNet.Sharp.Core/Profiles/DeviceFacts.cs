using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json.Serialization;

namespace EfficientNet.Sharp.Profiles;

/// <summary>What a device profile was measured on: the machine, the runtime and its settings.</summary>
public sealed record DeviceFacts
{
    /// <summary>The processor's model name, as the operating system reports it.</summary>
    public required string CpuModel { get; init; }

    /// <summary>Logical processors the process can use.</summary>
    public required int LogicalCores { get; init; }

    /// <summary>The vector instruction sets the processor reports (avx2, avx512f, avx512_vnni, neon, …), for reading, not matching.</summary>
    public required IReadOnlyList<string> InstructionSets { get; init; }

    /// <summary>Memory the machine has, in bytes.</summary>
    public required long MemoryBytes { get; init; }

    /// <summary>The operating system and processor architecture.</summary>
    public required string OperatingSystem { get; init; }

    /// <summary>The runtime the kernels were timed in: <c>onnxruntime</c>.</summary>
    public required string Runtime { get; init; }

    /// <summary>The runtime's version.</summary>
    public required string RuntimeVersion { get; init; }

    /// <summary>Intra-op threads the runtime used: predictions are for this count only.</summary>
    public required int Threads { get; init; }

    /// <summary>The arithmetic the kernels ran in: <c>float32</c>, or <c>int8</c> (convolutions in QDQ form, as the int8 export writes them).</summary>
    public required string Precision { get; init; }

    /// <summary>Whether the profile is of int8 files: the predictor calibrates those by a scale per family alone.</summary>
    [JsonIgnore]
    internal bool IsInt8 => Precision == Int8Precision;

    /// <summary>The precision of a profile of float files.</summary>
    internal const string Float32Precision = "float32";

    /// <summary>The precision of a profile of int8 files.</summary>
    internal const string Int8Precision = "int8";

    /// <summary>When the profile was measured (UTC).</summary>
    public required DateTimeOffset MeasuredAt { get; init; }

    /// <summary>This machine's facts, for a profile measured now with the given runtime and threads.</summary>
    /// <param name="runtimeVersion">The runtime's version.</param>
    /// <param name="threads">Intra-op threads.</param>
    /// <param name="precision">The arithmetic the kernels run in: <c>float32</c> or <c>int8</c>.</param>
    /// <returns>The facts.</returns>
    /// <exception cref="ArgumentException"><paramref name="precision"/> is neither <c>float32</c> nor <c>int8</c>.</exception>
    public static DeviceFacts OfThisMachine(string runtimeVersion, int threads, string precision = Float32Precision) => new()
    {
        CpuModel = CpuInfo("model name") ?? CpuInfo("Model") ?? RuntimeInformation.ProcessArchitecture.ToString(),
        LogicalCores = Environment.ProcessorCount,
        InstructionSets = InstructionSetsOfThisMachine(),
        MemoryBytes = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes,
        OperatingSystem = $"{RuntimeInformation.OSDescription.Trim()} ({RuntimeInformation.ProcessArchitecture.ToString().ToLowerInvariant()})",
        Runtime = "onnxruntime",
        RuntimeVersion = runtimeVersion,
        Threads = threads,
        Precision = precision is Float32Precision or Int8Precision ? precision : throw new ArgumentException($"Unknown precision '{precision}': use float32 or int8.", nameof(precision)),
        MeasuredAt = DateTimeOffset.UtcNow,
    };

    private static string? CpuInfo(string field)
    {
        try
        {
            return System.OperatingSystem.IsLinux()
                ? File.ReadLines("/proc/cpuinfo").Where(line => line.StartsWith(field, StringComparison.Ordinal)).Select(line => line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim()).FirstOrDefault()
                : null;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>The vector extensions /proc/cpuinfo lists (x86 flags, Arm features), else what .NET's intrinsics report.</summary>
    private static string[] InstructionSetsOfThisMachine()
    {
        string[] interesting = ["sse4_2", "avx", "avx2", "fma", "avx512f", "avx512bw", "avx512_vnni", "avx_vnni", "avx512_bf16", "amx_tile", "amx_int8", "neon", "asimd", "asimddp", "sve", "i8mm"];
        string flags = CpuInfo("flags") ?? CpuInfo("Features") ?? "";
        string[] listed = [.. flags.Split(' ', StringSplitOptions.RemoveEmptyEntries).Where(interesting.Contains).Distinct().Order(StringComparer.Ordinal)];
        if (listed.Length > 0)
        {
            return listed;
        }

        var detected = new List<string>();
        if (System.Runtime.Intrinsics.X86.Avx2.IsSupported)
        {
            detected.Add("avx2");
        }

        if (System.Runtime.Intrinsics.X86.Avx512F.IsSupported)
        {
            detected.Add("avx512f");
        }

        if (System.Runtime.Intrinsics.Arm.AdvSimd.IsSupported)
        {
            detected.Add("neon");
        }

        return [.. detected];
    }

    /// <summary>One line for reports: processor, cores, threads and runtime.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{CpuModel}, {LogicalCores} logical cores, {Threads} thread{(Threads == 1 ? "" : "s")}, {Runtime} {RuntimeVersion} {Precision}, {OperatingSystem}");
}
