using TorchSharp;
using static TorchSharp.torch;

namespace EfficientNet.Sharp.Weights.Reading;

/// <summary>
/// Reads TorchSharp's own format (<c>Module.save</c>, or Python's <c>exportsd.py</c>): an LEB128 entry
/// count, then for each entry a length-prefixed name and a tensor in TorchSharp's encoding.
/// </summary>
internal static class TorchSharpFile
{
    public static Dictionary<string, Tensor> Read(Stream stream)
    {
        using var reader = new BinaryReader(stream, System.Text.Encoding.UTF8, leaveOpen: true);
        long count = DecodeLeb128(reader);
        if (count < 0 || count > 1_000_000)
        {
            throw new InvalidDataException($"The file claims {count} entries: it is not a TorchSharp weights file.");
        }

        var tensors = new Dictionary<string, Tensor>();
        try
        {
            for (long i = 0; i < count; i++)
            {
                string name = reader.ReadString();
                tensors[name] = TensorExtensionMethods.Load(reader, skip: false);
            }
        }
        catch (Exception exception) when (exception is EndOfStreamException or IOException or ArgumentException or OverflowException)
        {
            foreach (Tensor tensor in tensors.Values)
            {
                tensor.Dispose();
            }

            throw new InvalidDataException("The TorchSharp weights file is truncated or corrupt.", exception);
        }

        return tensors;
    }

    /// <summary>Whether a stream plausibly starts a TorchSharp weights file (an entry count, then a name).</summary>
    public static bool LooksLikeOne(Stream stream)
    {
        long start = stream.Position;
        try
        {
            using var reader = new BinaryReader(stream, System.Text.Encoding.UTF8, leaveOpen: true);
            long count = DecodeLeb128(reader);
            if (count is <= 0 or > 1_000_000)
            {
                return false;
            }

            string name = reader.ReadString();
            return name.Length > 0 && name.All(c => !char.IsControl(c));
        }
        catch (Exception exception) when (exception is EndOfStreamException or IOException or FormatException or OverflowException)
        {
            return false;
        }
        finally
        {
            stream.Position = start;
        }
    }

    private static long DecodeLeb128(BinaryReader reader)
    {
        long value = 0;
        for (int shift = 0; shift < 63; shift += 7)
        {
            byte b = reader.ReadByte();
            value |= (long)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                return value;
            }
        }

        throw new InvalidDataException("A length in the file is not a valid LEB128 number.");
    }
}
