using System.Buffers.Binary;
using System.Globalization;
using System.IO.Compression;

namespace EfficientNet.Sharp.Data;

/// <summary>
/// Reads the IDX format of MNIST and Fashion-MNIST, gzipped or not: two zero bytes, a type byte (0x08,
/// unsigned bytes), the number of dimensions, each dimension as a big-endian int32, then the data.
/// Every error names the file and the byte offset (in the decompressed data for a gzipped file).
/// </summary>
internal static class IdxFile
{
    private const byte UnsignedByteType = 0x08;

    /// <summary>The largest file read into memory (decompressed); MNIST's training images are 47 MB.</summary>
    private const long MaxBytes = 2L * 1024 * 1024 * 1024 - 1;

    /// <summary>An image file: N × rows × columns bytes.</summary>
    public static (int Count, int Rows, int Columns, byte[] Pixels) ReadImages(string path)
    {
        (int[] dimensions, byte[] data, int dataOffset) = Read(path, expectedDimensions: 3);
        byte[] pixels = data.AsSpan(dataOffset).ToArray();
        return (dimensions[0], dimensions[1], dimensions[2], pixels);
    }

    /// <summary>A label file: N bytes, each checked to be below <paramref name="classes"/>.</summary>
    public static byte[] ReadLabels(string path, int classes)
    {
        (_, byte[] data, int dataOffset) = Read(path, expectedDimensions: 1);
        for (int i = dataOffset; i < data.Length; i++)
        {
            if (data[i] >= classes)
            {
                throw new InvalidDataException(Message(path, i, $"the label is {data[i]}, outside the {classes} classes [0, {classes - 1}]"));
            }
        }

        return data.AsSpan(dataOffset).ToArray();
    }

    private static (int[] Dimensions, byte[] Data, int DataOffset) Read(string path, int expectedDimensions)
    {
        byte[] data = ReadAllBytes(path);
        if (data.Length < 4)
        {
            throw new InvalidDataException(Message(path, data.Length, $"the file ends after {data.Length} bytes, inside the 4-byte IDX magic number"));
        }

        if (data[0] != 0 || data[1] != 0 || data[2] != UnsignedByteType || data[3] != expectedDimensions)
        {
            throw new InvalidDataException(Message(path, 0, $"expected the IDX magic number 00 00 08 {expectedDimensions:X2} (unsigned bytes, {expectedDimensions} dimension{(expectedDimensions == 1 ? "" : "s")}), found {Convert.ToHexString(data, 0, 4)}"));
        }

        int headerLength = 4 + (4 * expectedDimensions);
        if (data.Length < headerLength)
        {
            throw new InvalidDataException(Message(path, data.Length, $"the file ends inside the header, which needs {headerLength} bytes"));
        }

        var dimensions = new int[expectedDimensions];
        long expectedData = 1;
        for (int d = 0; d < expectedDimensions; d++)
        {
            int offset = 4 + (4 * d);
            dimensions[d] = BinaryPrimitives.ReadInt32BigEndian(data.AsSpan(offset, 4));
            if (dimensions[d] < (d == 0 ? 0 : 1))
            {
                throw new InvalidDataException(Message(path, offset, $"dimension {d} is {dimensions[d]}"));
            }

            expectedData *= dimensions[d];
        }

        long actualData = data.Length - headerLength;
        if (actualData != expectedData)
        {
            string shape = string.Join(" × ", dimensions.Select(d => d.ToString(CultureInfo.InvariantCulture)));
            string problem = actualData < expectedData
                ? $"the header promises {shape} = {expectedData:N0} bytes of data from offset {headerLength}, but the file is truncated: the data ends at offset {data.Length:N0}"
                : $"the header promises {shape} = {expectedData:N0} bytes of data from offset {headerLength}, but {actualData - expectedData:N0} more bytes follow from offset {headerLength + expectedData:N0}";
            throw new InvalidDataException(Message(path, Math.Min(data.Length, headerLength + expectedData), problem));
        }

        return (dimensions, data, headerLength);
    }

    /// <summary>The whole file, decompressed when it starts with the gzip signature.</summary>
    private static byte[] ReadAllBytes(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"IDX file '{path}' does not exist.", path);
        }

        using FileStream file = File.OpenRead(path);
        Span<byte> signature = stackalloc byte[2];
        int read = file.ReadAtLeast(signature, 2, throwOnEndOfStream: false);
        file.Position = 0;
        if (read < 2 || signature[0] != 0x1F || signature[1] != 0x8B)
        {
            return file.Length > MaxBytes ? throw new InvalidDataException($"'{path}' is larger than {MaxBytes:N0} bytes.") : File.ReadAllBytes(path);
        }

        try
        {
            using var gzip = new GZipStream(file, CompressionMode.Decompress);
            using var buffer = new MemoryStream();
            gzip.CopyTo(buffer);
            return buffer.Length > MaxBytes ? throw new InvalidDataException($"'{path}' decompresses to more than {MaxBytes:N0} bytes.") : buffer.ToArray();
        }
        catch (Exception exception) when (exception is InvalidDataException or EndOfStreamException)
        {
            throw new InvalidDataException($"'{path}' is not a valid gzip file (it is truncated or damaged): {exception.Message}", exception);
        }
    }

    private static string Message(string path, long offset, string problem) =>
        string.Create(CultureInfo.InvariantCulture, $"'{path}' is not a valid IDX file: at byte offset {offset:N0}{(IsGzip(path) ? " of the decompressed data" : "")}, {problem}.");

    private static bool IsGzip(string path) => path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase);
}
