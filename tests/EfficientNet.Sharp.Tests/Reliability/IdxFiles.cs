using System.Buffers.Binary;

namespace EfficientNet.Sharp.Tests.Reliability;

/// <summary>Writes IDX files of zero bytes with any declared shape.</summary>
internal static class IdxFiles
{
    public static void Write(string path, int[] dimensions)
    {
        long count = dimensions.Aggregate(1L, (a, b) => a * b);
        byte[] bytes = new byte[4 + (4 * dimensions.Length) + count];
        bytes[2] = 0x08;
        bytes[3] = (byte)dimensions.Length;
        for (int d = 0; d < dimensions.Length; d++)
        {
            BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4 + (4 * d)), dimensions[d]);
        }

        File.WriteAllBytes(path, bytes);
    }
}
