using System.Buffers.Binary;
using System.Text;

namespace EfficientNet.Sharp.TfLite.Schema;

/// <summary>
/// One FlatBuffers table, read by field index (the n-th field of the schema's table declaration) rather
/// than by generated per-table classes: the importer reads a few dozen fields of the TFLite schema. The
/// buffer has already passed <see cref="TfLiteVerifier"/>, which checks exactly these reads, so every offset
/// followed here is in bounds (and a read that were not would still throw, never read outside the array).
/// </summary>
internal readonly struct FlatTable
{
    private readonly byte[] bytes;
    private readonly int position;

    private FlatTable(byte[] bytes, int position)
    {
        this.bytes = bytes;
        this.position = position;
    }

    /// <summary>The root table of a buffer.</summary>
    public static FlatTable Root(byte[] bytes) => new(bytes, Indirect(bytes, 0));

    public int Int(int field, int fallback = 0) =>
        Slot(field) is var o and not 0 ? BinaryPrimitives.ReadInt32LittleEndian(At(o)) : fallback;

    public uint UInt(int field) =>
        Slot(field) is var o and not 0 ? BinaryPrimitives.ReadUInt32LittleEndian(At(o)) : 0u;

    public ulong ULong(int field) =>
        Slot(field) is var o and not 0 ? BinaryPrimitives.ReadUInt64LittleEndian(At(o)) : 0ul;

    public sbyte SByte(int field) =>
        Slot(field) is var o and not 0 ? (sbyte)bytes[position + o] : (sbyte)0;

    public byte Byte(int field) =>
        Slot(field) is var o and not 0 ? bytes[position + o] : (byte)0;

    public bool Bool(int field) => Byte(field) != 0;

    public float Float(int field, float fallback = 0f) =>
        Slot(field) is var o and not 0 ? BinaryPrimitives.ReadSingleLittleEndian(At(o)) : fallback;

    public string? String(int field) =>
        Vector(field) is (int start, int count) ? Encoding.UTF8.GetString(bytes, start, count) : null;

    /// <summary>A sub-table field (also the value of a union field), or <see langword="null"/> when absent.</summary>
    public FlatTable? Table(int field) =>
        Slot(field) is var o and not 0 ? new FlatTable(bytes, Indirect(bytes, position + o)) : null;

    public int VectorLength(int field) => Vector(field)?.Count ?? 0;

    /// <summary>Element <paramref name="index"/> of a vector of tables.</summary>
    public FlatTable TableAt(int field, int index)
    {
        (int start, int count) = Vector(field) ?? (0, 0);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)index, (uint)count, nameof(index));
        return new FlatTable(bytes, Indirect(bytes, start + (4 * index)));
    }

    public int[] Ints(int field) => Read(field, 4, span => BinaryPrimitives.ReadInt32LittleEndian(span));

    public float[] Floats(int field) => Read(field, 4, span => BinaryPrimitives.ReadSingleLittleEndian(span));

    public long[] Longs(int field) => Read(field, 8, span => BinaryPrimitives.ReadInt64LittleEndian(span));

    /// <summary>A vector of bytes as a view of the underlying buffer (no copy); empty when absent.</summary>
    public ArraySegment<byte> Bytes(int field) =>
        Vector(field) is (int start, int count) ? new ArraySegment<byte>(bytes, start, count) : ArraySegment<byte>.Empty;

    private static int Indirect(byte[] bytes, int at) => checked(at + (int)BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(at)));

    private ReadOnlySpan<byte> At(int offset) => bytes.AsSpan(position + offset);

    /// <summary>The field's offset inside the table, 0 when absent (the vtable is shorter or holds 0).</summary>
    private int Slot(int field)
    {
        int vtable = position - BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(position));
        int entry = 4 + (2 * field);
        return entry + 2 <= BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(vtable))
            ? BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(vtable + entry))
            : 0;
    }

    /// <summary>Where a vector field's elements start and how many there are, or null when absent.</summary>
    private (int Start, int Count)? Vector(int field)
    {
        if (Slot(field) is var o and not 0)
        {
            int vector = Indirect(bytes, position + o);
            return (vector + 4, checked((int)BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(vector))));
        }

        return null;
    }

    private delegate T SpanReader<T>(ReadOnlySpan<byte> span);

    private T[] Read<T>(int field, int elementSize, SpanReader<T> get)
    {
        if (Vector(field) is not (int start, int count))
        {
            return [];
        }

        // Verified already; checked again so that no read can allocate for elements the file does not hold.
        if ((long)start + ((long)count * elementSize) > bytes.Length)
        {
            throw new InvalidDataException($"at byte {start:N0}: a vector of {count:N0} elements extends past the end of the file");
        }

        var values = new T[count];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = get(bytes.AsSpan(start + (i * elementSize), elementSize));
        }

        return values;
    }
}
