using System.Text.Json;
using System.Text.Json.Serialization;
using EfficientNet.Sharp.IO;

namespace EfficientNet.Sharp.Profiles;

/// <summary>
/// A device's measured kernel times (<see cref="KernelMeasurement"/>) and what it is (<see cref="DeviceFacts"/>): measured
/// on the target by <c>DeviceProfiler</c> (EfficientNet.Sharp.OnnxRuntime, no libtorch needed) or <c>effnet
/// profile-device</c>, saved as versioned JSON, and read on any machine by the <c>LatencyPredictor</c>.
/// </summary>
public sealed record DeviceProfile
{
    /// <summary>The JSON schema this library writes and reads; a file of a newer schema is refused.</summary>
    public const int CurrentSchemaVersion = 1;

    /// <summary>A profile file is a few hundred kilobytes; anything over this is not one.</summary>
    private const long MaxFileBytes = 64L * 1024 * 1024;

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower, allowIntegerValues: false) },
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    };

    /// <summary>The schema version of the file (<see cref="CurrentSchemaVersion"/> for profiles written now).</summary>
    public int SchemaVersion { get; init; } = CurrentSchemaVersion;

    /// <summary>The device.</summary>
    public required DeviceFacts Device { get; init; }

    /// <summary>
    /// The number a depthwise convolution's channels must be a multiple of for the device's fast kernel (4 on a
    /// machine whose runtime vectorises four channels at a time; 1 where every count runs alike), found by timing
    /// depthwise convolutions around a power of two before the suite. In an int8 profile it is the multiple whose grid
    /// predicts integer depthwise and pointwise convolutions best (<see cref="ChannelMultipleChoice"/>), and it also
    /// splits integer pointwise and dense convolutions by their input channels.
    /// </summary>
    public required int DepthwiseChannelMultiple { get; init; }

    /// <summary>
    /// The number a convolution's input channels must be a multiple of for the runtime to run it in its blocked channel
    /// layout (ONNX Runtime's NCHWc; 4 on the AVX-512 machine this was written on, where ONNX Runtime 1.31 pads such
    /// counts up to its 16-channel block, <see cref="BlockedLayoutBlock"/>; 0 where the runtime has none), found by asking
    /// the runtime how it rewrites a convolution. A blocked convolution timed alone converts its input and output to and from that
    /// layout, which a chain inside a network does not (<see cref="LatencyPredictor"/>). Null in profiles written before
    /// it was probed: every convolution is then scaled alike, as in int8 profiles, whose calibration is a scale per family
    /// alone.
    /// </summary>
    public int? BlockedLayoutChannelMultiple { get; init; }

    /// <summary>
    /// The block a blocked convolution's channels are padded up to (ONNX Runtime's NCHWc block: 16 on an x64 machine with
    /// AVX-512F, 8 on other x64 ones; 0 where the runtime has no blocked layout), found by asking the runtime how it rewrites
    /// a convolution. Such a convolution's time steps with its padded channel count, which predictions from a float
    /// profile of one thread interpolate by (<see cref="BlockedPadding"/>). Null in profiles written before it was
    /// probed: channel counts are interpolated as they are.
    /// </summary>
    public int? BlockedLayoutBlock { get; init; }

    /// <summary>
    /// How the device reads weights its caches do not keep between runs, which a network of more weights than they hold
    /// pays on every run (<see cref="Profiles.WeightStreaming"/>). Null in int8 profiles and in profiles written before
    /// it was measured: weights are taken as cached, as kernels timed alone have them.
    /// </summary>
    public WeightStreaming? WeightStreaming { get; init; }

    /// <summary>Whole networks timed with the kernels, which predictions are calibrated by (empty: kernel sums are used as they are).</summary>
    public IReadOnlyList<CalibrationNetwork> Calibration { get; init; } = [];

    /// <summary>The kernels measured, the run overhead among them.</summary>
    public required IReadOnlyList<KernelMeasurement> Kernels { get; init; }

    /// <summary>Writes the profile as JSON, atomically.</summary>
    /// <param name="path">The file (replaced if it is a regular file).</param>
    /// <exception cref="IOException">The file cannot be written.</exception>
    public void Save(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        AtomicFile.Write(path, stream => JsonSerializer.Serialize(stream, this, Json));
    }

    /// <summary>Reads a profile, checking every field.</summary>
    /// <param name="path">The JSON file.</param>
    /// <returns>The profile.</returns>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is not a profile, is truncated, is of a newer schema, or has a field out of range; the message names the file and the field.</exception>
    public static DeviceProfile Load(string path)
    {
        InputFile.Check(path, "device profile", MaxFileBytes);
        using FileStream stream = File.OpenRead(path);
        return Read(stream, path);
    }

    /// <summary>Reads a profile from a stream.</summary>
    /// <param name="stream">The JSON.</param>
    /// <param name="source">A name for messages.</param>
    /// <returns>The profile.</returns>
    /// <exception cref="InvalidDataException">The data is not a valid profile; the message names the field.</exception>
    public static DeviceProfile Read(Stream stream, string source)
    {
        ArgumentNullException.ThrowIfNull(stream);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(stream);
        }
        catch (JsonException exception)
        {
            throw new InvalidDataException($"'{source}' is not a device profile: its JSON does not parse ({exception.Message}).", exception);
        }

        using (document)
        {
            if (!document.RootElement.TryGetProperty("schema_version", out JsonElement version) || version.ValueKind != JsonValueKind.Number || !version.TryGetInt32(out int schema))
            {
                throw new InvalidDataException($"'{source}' is not a device profile: it has no schema_version.");
            }

            if (schema > CurrentSchemaVersion || schema < 1)
            {
                throw new InvalidDataException($"'{source}' is a device profile of schema {schema}; this library reads schema {CurrentSchemaVersion}. {(schema > CurrentSchemaVersion ? "Update EfficientNet.Sharp, or measure the profile again with this version." : "")}");
            }

            DeviceProfile profile;
            try
            {
                profile = document.RootElement.Deserialize<DeviceProfile>(Json) ?? throw new InvalidDataException($"'{source}' holds an empty profile.");
            }
            catch (Exception exception) when (exception is JsonException or NotSupportedException or ArgumentException)
            {
                throw new InvalidDataException($"'{source}' is not a valid device profile: {exception.Message}", exception);
            }

            profile.Validate(source);
            return profile;
        }
    }

    private void Validate(string source)
    {
        // System.Text.Json lets an explicit null through where the type says non-null: each is named here.
        (string Field, object? Value)[] required =
        [
            ("device", Device), ("kernels", Kernels), ("calibration", Calibration), ("device.cpu_model", Device?.CpuModel),
            ("device.instruction_sets", Device?.InstructionSets), ("device.operating_system", Device?.OperatingSystem),
            ("device.runtime", Device?.Runtime), ("device.runtime_version", Device?.RuntimeVersion), ("device.precision", Device?.Precision),
        ];
        if (required.FirstOrDefault(field => field.Value is null) is { Field: { } missing })
        {
            throw new InvalidDataException($"'{source}': {missing} is missing or null.");
        }

        if (Device!.Precision is not (DeviceFacts.Float32Precision or DeviceFacts.Int8Precision)) // not null: checked just above
        {
            throw new InvalidDataException($"'{source}': device.precision is '{Device.Precision}'; this version predicts float32 and int8.");
        }

        if (Device.Threads < 1 || Device.LogicalCores < 1)
        {
            throw new InvalidDataException($"'{source}': device.threads and device.logical_cores must be at least 1.");
        }

        if (DepthwiseChannelMultiple is < 1 or > 64 || !int.IsPow2(DepthwiseChannelMultiple))
        {
            throw new InvalidDataException($"'{source}': depthwise_channel_multiple must be a power of two from 1 to 64, not {DepthwiseChannelMultiple}.");
        }

        if (BlockedLayoutChannelMultiple is < 0 or > 64 || (BlockedLayoutChannelMultiple is > 0 and int multiple && !int.IsPow2(multiple)))
        {
            throw new InvalidDataException($"'{source}': blocked_layout_channel_multiple must be 0 or a power of two from 1 to 64, not {BlockedLayoutChannelMultiple}.");
        }

        if (BlockedLayoutBlock is < 0 or > 64 || (BlockedLayoutBlock is > 0 and int block && !int.IsPow2(block)))
        {
            throw new InvalidDataException($"'{source}': blocked_layout_block must be 0 or a power of two from 1 to 64, not {BlockedLayoutBlock}.");
        }

        if (WeightStreaming is { } streaming)
        {
            foreach ((string field, double value) in new[] { ("cache_megabytes", streaming.CacheMegabytes), ("gigabytes_per_second", streaming.GigabytesPerSecond) })
            {
                if (!(double.IsFinite(value) && value > 0))
                {
                    throw new InvalidDataException($"'{source}': weight_streaming.{field} must be a positive number, not {value}.");
                }
            }
        }

        if (!Kernels.Any(kernel => kernel.Shape.Kind == KernelKind.RunOverhead))
        {
            throw new InvalidDataException($"'{source}': kernels has no run_overhead measurement.");
        }

        for (int i = 0; i < Calibration.Count; i++)
        {
            CalibrationNetwork network = Calibration[i] ?? throw new InvalidDataException($"'{source}': calibration[{i}] is empty.");
            if (string.IsNullOrWhiteSpace(network.Model) || network.Resolution < 1 || !double.IsFinite(network.Milliseconds) || network.Milliseconds <= 0
                || network.Width is <= 0 or double.NaN or double.PositiveInfinity || network.Depth is <= 0 or double.NaN or double.PositiveInfinity)
            {
                throw new InvalidDataException($"'{source}': calibration[{i}] ({network.Model}) needs a model name, a resolution of at least 1, a positive time and positive multipliers.");
            }
        }

        for (int i = 0; i < Kernels.Count; i++)
        {
            KernelMeasurement kernel = Kernels[i] ?? throw new InvalidDataException($"'{source}': kernels[{i}] is null.");
            KernelShape shape = kernel.Shape ?? throw new InvalidDataException($"'{source}': kernels[{i}].shape is missing or null.");
            if (shape.Variant is null)
            {
                throw new InvalidDataException($"'{source}': kernels[{i}].shape.variant is missing or null.");
            }

            if (!Enum.IsDefined(shape.Kind) || shape.InChannels < 1 || shape.OutChannels < 1 || shape.Size < 1 || shape.KernelSize < 1 || shape.Stride < 1)
            {
                throw new InvalidDataException($"'{source}': kernels[{i}].shape has a size below 1 or an unknown kind ({shape}).");
            }

            if (!double.IsFinite(kernel.Milliseconds) || kernel.Milliseconds < 0 || !double.IsFinite(kernel.SpreadMilliseconds) || kernel.SpreadMilliseconds < 0 || kernel.Runs < 1)
            {
                throw new InvalidDataException($"'{source}': kernels[{i}] ({shape}) has milliseconds {kernel.Milliseconds}, spread {kernel.SpreadMilliseconds} and {kernel.Runs} runs; times must be finite and not negative, runs at least 1.");
            }
        }
    }
}
