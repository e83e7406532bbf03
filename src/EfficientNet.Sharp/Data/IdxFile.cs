using System.Buffers.Binary;
using System.Globalization;
using System.IO.Compression;
using EfficientNet.Sharp.IO;

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
        (int[] dimensions, byte[] data) = Read(path, expectedDimensions: 3);
        return (dimensions[0], dimensions[1], dimensions[2], data);
    }

    /// <summary>A label file: N bytes, each checked to be below <paramref name="classes"/>.</summary>
    public static byte[] ReadLabels(string path, int classes)
    {
        (_, byte[] data) = Read(path, expectedDimensions: 1);
        const int headerLength = 4 + 4;
        for (int i = 0; i < data.Length; i++)
        {
            if (data[i] >= classes)
            {
                throw new InvalidDataException(Message(path, headerLength + i, $"the label is {data[i]}, outside the {classes} classes [0, {classes - 1}]"));
            }
        }

        return data;
    }

    /// <summary>
    /// Reads the header, then exactly the data it declares: a gzipped file is decompressed as a stream and never
    /// beyond the declared size, so a small file that expands to gigabytes is refused after its header, not after
    /// the expansion.
    /// </summary>
    private static (int[] Dimensions, byte[] Data) Read(string path, int expectedDimensions)
    {
        InputFile.Check(path, "IDX file");
        using FileStream file = File.OpenRead(path);
        bool gzip = StartsWithGzipSignature(file);
        using Stream data = gzip ? new GZipStream(file, CompressionMode.Decompress) : file;
        try
        {
            int headerLength = 4 + (4 * expectedDimensions);
            byte[] header = new byte[headerLength];
            int read = data.ReadAtLeast(header, headerLength, throwOnEndOfStream: false);
            if (read < 4)
            {
                throw new InvalidDataException(Message(path, read, $"the file ends after {read} bytes, inside the 4-byte IDX magic number", gzip));
            }

            if (header[0] != 0 || header[1] != 0 || header[2] != UnsignedByteType || header[3] != expectedDimensions)
            {
                throw new InvalidDataException(Message(path, 0, $"expected the IDX magic number 00 00 08 {expectedDimensions:X2} (unsigned bytes, {expectedDimensions} dimension{(expectedDimensions == 1 ? "" : "s")}), found {Convert.ToHexString(header, 0, 4)}", gzip));
            }

            if (read < headerLength)
            {
                throw new InvalidDataException(Message(path, read, $"the file ends inside the header, which needs {headerLength} bytes", gzip));
            }

            var dimensions = new int[expectedDimensions];
            long expectedData = 1;
            for (int d = 0; d < expectedDimensions; d++)
            {
                int offset = 4 + (4 * d);
                dimensions[d] = BinaryPrimitives.ReadInt32BigEndian(header.AsSpan(offset, 4));
                if (dimensions[d] < (d == 0 ? 0 : 1))
                {
                    throw new InvalidDataException(Message(path, offset, $"dimension {d} is {dimensions[d]}", gzip));
                }

                // Checked per factor: three int32 dimensions can multiply past a long.
                expectedData = dimensions[d] == 0 ? 0 : expectedData > MaxBytes / dimensions[d] ? MaxBytes + 1 : expectedData * dimensions[d];
            }

            string shape = string.Join(" × ", dimensions.Select(d => d.ToString(CultureInfo.InvariantCulture)));
            if (expectedData > MaxBytes)
            {
                throw new InvalidDataException(Message(path, 4, $"the header declares {shape} bytes of data, over the {MaxBytes:N0}-byte limit of an IDX file", gzip));
            }

            byte[] body = new byte[expectedData];
            int got = data.ReadAtLeast(body, body.Length, throwOnEndOfStream: false);
            if (got < body.Length)
            {
                throw new InvalidDataException(Message(path, headerLength + got, $"the header promises {shape} = {expectedData:N0} bytes of data from offset {headerLength}, but the file is truncated: the data ends at offset {headerLength + got:N0}", gzip));
            }

            if (CountRemaining(data) is long extra and > 0)
            {
                string count = extra > MaxBytes ? $"more than {MaxBytes:N0}" : extra.ToString("N0", CultureInfo.InvariantCulture);
                throw new InvalidDataException(Message(path, headerLength + expectedData, $"the header promises {shape} = {expectedData:N0} bytes of data from offset {headerLength}, but {count} more bytes follow from offset {headerLength + expectedData:N0}", gzip));
            }

            return (dimensions, body);
        }
        catch (Exception exception) when (gzip && exception is InvalidDataException or EndOfStreamException && exception.Message.IndexOf(path, StringComparison.Ordinal) < 0)
        {
            throw new InvalidDataException($"'{path}' is not a valid gzip file (it is truncated or damaged): {exception.Message}", exception);
        }
    }

    /// <summary>How many bytes are left, read through a small buffer and counted up to just past the size limit.</summary>
    private static long CountRemaining(Stream data)
    {
        byte[] buffer = new byte[1 << 16];
        long count = 0;
        int read;
        while (count <= MaxBytes && (read = data.Read(buffer)) > 0)
        {
            count += read;
        }

        return count;
    }

    private static bool StartsWithGzipSignature(FileStream file)
    {
        Span<byte> signature = stackalloc byte[2];
        int read = file.ReadAtLeast(signature, 2, throwOnEndOfStream: false);
        file.Position = 0;
        return read == 2 && signature[0] == 0x1F && signature[1] == 0x8B;
    }

    private static string Message(string path, long offset, string problem, bool gzip = false) =>
        string.Create(CultureInfo.InvariantCulture, $"'{path}' is not a valid IDX file: at byte offset {offset:N0}{(gzip ? " of the decompressed data" : "")}, {problem}.");
}
