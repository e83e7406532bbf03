using System.Buffers.Binary;
using System.Text.Json;
using TorchSharp;
using static TorchSharp.torch;

namespace EfficientNet.Sharp.Weights.Reading;

/// <summary>
/// Reads a <c>.safetensors</c> file: an 8-byte little-endian header length, a JSON header naming each
/// tensor's dtype, shape and byte range, then the data. Every dtype the format defines that libtorch
/// can hold is read; U16 and U32, which TorchSharp has no type for, are widened to int32 and int64 so
/// that no value changes. (TorchSharp.PyBridge's reader rejects U16 and U32 and does not check ranges.)
/// </summary>
internal static class SafetensorsFile
{
    private const long MaxHeaderBytes = 100_000_000;

    public static Dictionary<string, Tensor> Read(Stream stream) => Read(stream, out _);

    /// <summary>The tensors, and the header's <c>__metadata__</c> map from the same single read of the header.</summary>
    public static Dictionary<string, Tensor> Read(Stream stream, out Dictionary<string, string> metadata)
    {
        byte[] header = ReadHeader(stream);
        long dataStart = 8 + header.LongLength;
        long dataLength = stream.Length - dataStart;

        using JsonDocument document = ParseHeader(header);
        metadata = Metadata(document);
        var tensors = new Dictionary<string, Tensor>();
        foreach (JsonProperty entry in document.RootElement.EnumerateObject())
        {
            if (entry.Name == "__metadata__")
            {
                continue;
            }

            if (entry.Value.ValueKind != JsonValueKind.Object)
            {
                throw new InvalidDataException($"The header entry of tensor '{entry.Name}' is not a JSON object.");
            }

            string dtype = Property(entry, "dtype", JsonValueKind.String).GetString()!;
            long[] shape = Integers(entry, "shape");
            long[] offsets = Integers(entry, "data_offsets");
            (ScalarType stored, int size) = Describe(dtype, entry.Name);
            long count = ElementCount(entry.Name, shape);
            if (offsets.Length != 2 || offsets[0] > offsets[1] || offsets[1] > dataLength || offsets[1] - offsets[0] != count * size)
            {
                throw new InvalidDataException($"Tensor '{entry.Name}' ({dtype}, shape [{string.Join(", ", shape)}]) has byte range [{string.Join(", ", offsets)}], which does not fit its size or the file.");
            }

            byte[] bytes = new byte[count * size];
            stream.Seek(dataStart + offsets[0], SeekOrigin.Begin);
            ReadExactly(stream, bytes, $"tensor '{entry.Name}'");
            tensors[entry.Name] = Create(bytes, dtype, stored, shape);
        }

        return tensors;
    }

    /// <summary>The header's <c>__metadata__</c> map of strings (empty when there is none), without reading the tensors.</summary>
    public static Dictionary<string, string> ReadMetadata(Stream stream)
    {
        using JsonDocument document = ParseHeader(ReadHeader(stream));
        return Metadata(document);
    }

    /// <summary>The 8-byte length and the JSON header it announces, checked to fit the stream.</summary>
    private static byte[] ReadHeader(Stream stream)
    {
        Span<byte> lengthBytes = stackalloc byte[8];
        ReadExactly(stream, lengthBytes, "header length");
        long headerLength = BinaryPrimitives.ReadInt64LittleEndian(lengthBytes);
        if (headerLength <= 0 || headerLength > MaxHeaderBytes || headerLength > stream.Length - 8)
        {
            throw new InvalidDataException($"The safetensors header length ({headerLength} bytes) does not fit the file.");
        }

        byte[] header = new byte[headerLength];
        ReadExactly(stream, header, "header");
        return header;
    }

    private static Dictionary<string, string> Metadata(JsonDocument document)
    {
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        if (document.RootElement.TryGetProperty("__metadata__", out JsonElement map) && map.ValueKind == JsonValueKind.Object)
        {
            foreach (JsonProperty entry in map.EnumerateObject())
            {
                metadata[entry.Name] = entry.Value.ValueKind == JsonValueKind.String ? entry.Value.GetString()! : entry.Value.GetRawText();
            }
        }

        return metadata;
    }

    /// <summary>A header field that must be present and of one JSON kind; the message names the tensor and the field.</summary>
    private static JsonElement Property(JsonProperty entry, string name, JsonValueKind kind)
    {
        if (!entry.Value.TryGetProperty(name, out JsonElement value))
        {
            throw new InvalidDataException($"The header entry of tensor '{entry.Name}' has no '{name}'.");
        }

        if (value.ValueKind != kind)
        {
            throw new InvalidDataException($"The '{name}' of tensor '{entry.Name}' is {value.ValueKind.ToString().ToLowerInvariant()} {value.GetRawText()}, not a JSON {kind.ToString().ToLowerInvariant()}.");
        }

        return value;
    }

    /// <summary>A list of non-negative 64-bit integers (a shape, a byte range).</summary>
    private static long[] Integers(JsonProperty entry, string name)
    {
        JsonElement list = Property(entry, name, JsonValueKind.Array);
        return [.. list.EnumerateArray().Select(item => item.ValueKind == JsonValueKind.Number && item.TryGetInt64(out long value) && value >= 0
            ? value
            : throw new InvalidDataException($"The '{name}' of tensor '{entry.Name}' is {list.GetRawText()}: it must list non-negative integers."))];
    }

    /// <summary>The number of elements of a shape, refused when it overflows (a corrupted header must not reach libtorch).</summary>
    private static long ElementCount(string name, long[] shape)
    {
        long count = 1;
        foreach (long dimension in shape)
        {
            if (dimension > 0 && count > long.MaxValue / 8 / dimension)
            {
                throw new InvalidDataException($"Tensor '{name}' has the shape [{string.Join(", ", shape)}], more elements than any file can hold.");
            }

            count *= dimension;
        }

        return count;
    }

    private static JsonDocument ParseHeader(byte[] header)
    {
        try
        {
            JsonDocument document = JsonDocument.Parse(header);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                document.Dispose();
                throw new InvalidDataException("The safetensors header is not a JSON object.");
            }

            return document;
        }
        catch (JsonException exception)
        {
            throw new InvalidDataException("The safetensors header is not valid JSON.", exception);
        }
    }

    /// <summary>The type to read the bytes as, and the element size.</summary>
    private static (ScalarType Stored, int Size) Describe(string dtype, string name) => dtype switch
    {
        "F64" => (ScalarType.Float64, 8),
        "F32" => (ScalarType.Float32, 4),
        "F16" => (ScalarType.Float16, 2),
        "BF16" => (ScalarType.BFloat16, 2),
        "I64" => (ScalarType.Int64, 8),
        "I32" => (ScalarType.Int32, 4),
        "I16" => (ScalarType.Int16, 2),
        "I8" => (ScalarType.Int8, 1),
        "U8" => (ScalarType.Byte, 1),
        "BOOL" => (ScalarType.Bool, 1),
        "U16" => (ScalarType.Int16, 2),
        "U32" => (ScalarType.Int32, 4),
        _ => throw new NotSupportedException($"Tensor '{name}' has dtype '{dtype}', which this reader does not support."),
    };

    private static Tensor Create(byte[] bytes, string dtype, ScalarType stored, long[] shape)
    {
        using var scope = torch.NewDisposeScope();
        Tensor raw = torch.empty(shape, stored);
        raw.bytes = bytes;
        Tensor result = dtype switch
        {
            // Reinterpreted as signed, then widened and wrapped back to the unsigned value.
            "U16" => WrapToUnsigned(raw.to_type(ScalarType.Int32), 1L << 16),
            "U32" => WrapToUnsigned(raw.to_type(ScalarType.Int64), 1L << 32),
            _ => raw,
        };
        return result.MoveToOuterDisposeScope();
    }

    /// <summary>(x + modulus) mod modulus, in place: a negative x read as signed becomes its unsigned value.</summary>
    private static Tensor WrapToUnsigned(Tensor widened, long modulus)
    {
        using Scalar wrap = modulus.ToScalar();
        return widened.add_(wrap, Scalars.One).remainder_(wrap);
    }

    private static void ReadExactly(Stream stream, Span<byte> buffer, string what)
    {
        try
        {
            stream.ReadExactly(buffer);
        }
        catch (EndOfStreamException exception)
        {
            throw new InvalidDataException($"The file ends inside the safetensors {what}: it is truncated.", exception);
        }
    }
}
