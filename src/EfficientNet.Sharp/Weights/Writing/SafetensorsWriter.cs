using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using static TorchSharp.torch;

namespace EfficientNet.Sharp.Weights.Writing;

/// <summary>
/// Writes the <c>.safetensors</c> format (Hugging Face's): an 8-byte little-endian header length, a JSON header
/// with each tensor's dtype, shape and byte range plus a <c>__metadata__</c> map of strings, then the data in
/// header order. The header is padded with spaces to a multiple of 8 bytes, as the format recommends.
/// </summary>
internal static class SafetensorsWriter
{
    public static void Write(Stream stream, IReadOnlyList<KeyValuePair<string, Tensor>> tensors, IReadOnlyDictionary<string, string> metadata)
    {
        var header = new Dictionary<string, object> { ["__metadata__"] = metadata };
        long offset = 0;
        var contiguous = new List<Tensor>(tensors.Count);
        try
        {
            foreach ((string name, Tensor tensor) in tensors)
            {
                Tensor data = tensor.detach().cpu().contiguous();
                contiguous.Add(data);
                long length = data.NumberOfElements * data.ElementSize;
                header[name] = new Dictionary<string, object>
                {
                    ["dtype"] = DataType(data.dtype, name),
                    ["shape"] = data.shape,
                    ["data_offsets"] = new[] { offset, offset + length },
                };
                offset += length;
            }

            byte[] json = JsonSerializer.SerializeToUtf8Bytes(header);
            int padding = (8 - (json.Length % 8)) % 8;
            Span<byte> length8 = stackalloc byte[8];
            BinaryPrimitives.WriteInt64LittleEndian(length8, json.Length + padding);
            stream.Write(length8);
            stream.Write(json);
            stream.Write(Encoding.ASCII.GetBytes(new string(' ', padding)));
            foreach (Tensor data in contiguous)
            {
                stream.Write(data.bytes);
            }
        }
        finally
        {
            foreach (Tensor data in contiguous)
            {
                data.Dispose();
            }
        }
    }

    private static string DataType(ScalarType type, string name) => type switch
    {
        ScalarType.Float32 => "F32",
        ScalarType.Float64 => "F64",
        ScalarType.Float16 => "F16",
        ScalarType.BFloat16 => "BF16",
        ScalarType.Int64 => "I64",
        ScalarType.Int32 => "I32",
        ScalarType.Int16 => "I16",
        ScalarType.Int8 => "I8",
        ScalarType.Byte => "U8",
        ScalarType.Bool => "BOOL",
        _ => throw new NotSupportedException($"Tensor '{name}' has dtype {type}, which safetensors cannot hold."),
    };
}
