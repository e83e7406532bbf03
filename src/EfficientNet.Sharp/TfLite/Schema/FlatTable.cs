using Google.FlatBuffers;

namespace EfficientNet.Sharp.TfLite.Schema;

/// <summary>
/// One FlatBuffers table, read by field index (the n-th field of the schema's table declaration) rather
/// than by generated per-table classes: the importer reads a few dozen fields of the TFLite schema, and
/// the buffer has already passed <see cref="TfLiteVerifier"/>, so every offset followed here is in bounds.
/// </summary>
internal readonly struct FlatTable
{
    private readonly Table table;

    public FlatTable(int position, ByteBuffer buffer) => table = new Table(position, buffer);

    /// <summary>The root table of a finished buffer.</summary>
    public static FlatTable Root(ByteBuffer buffer) => new(buffer.GetInt(buffer.Position) + buffer.Position, buffer);

    public int Int(int field, int fallback = 0) =>
        Slot(field) is var o and not 0 ? table.bb.GetInt(o + table.bb_pos) : fallback;

    public uint UInt(int field) =>
        Slot(field) is var o and not 0 ? table.bb.GetUint(o + table.bb_pos) : 0u;

    public ulong ULong(int field) =>
        Slot(field) is var o and not 0 ? table.bb.GetUlong(o + table.bb_pos) : 0ul;

    public sbyte SByte(int field) =>
        Slot(field) is var o and not 0 ? table.bb.GetSbyte(o + table.bb_pos) : (sbyte)0;

    public byte Byte(int field) =>
        Slot(field) is var o and not 0 ? table.bb.Get(o + table.bb_pos) : (byte)0;

    public bool Bool(int field) => Byte(field) != 0;

    public float Float(int field, float fallback = 0f) =>
        Slot(field) is var o and not 0 ? table.bb.GetFloat(o + table.bb_pos) : fallback;

    public string? String(int field) =>
        Slot(field) is var o and not 0 ? table.__string(o + table.bb_pos) : null;

    /// <summary>A sub-table field (also the value of a union field), or <see langword="null"/> when absent.</summary>
    public FlatTable? Table(int field) =>
        Slot(field) is var o and not 0 ? new FlatTable(table.__indirect(o + table.bb_pos), table.bb) : null;

    public int VectorLength(int field) =>
        Slot(field) is var o and not 0 ? table.__vector_len(o) : 0;

    /// <summary>Element <paramref name="index"/> of a vector of tables.</summary>
    public FlatTable TableAt(int field, int index) =>
        new(table.__indirect(table.__vector(Slot(field)) + (index * 4)), table.bb);

    public int[] Ints(int field) => Read(field, 4, (bb, at) => bb.GetInt(at));

    public float[] Floats(int field) => Read(field, 4, (bb, at) => bb.GetFloat(at));

    public long[] Longs(int field) => Read(field, 8, (bb, at) => bb.GetLong(at));

    /// <summary>A vector of bytes as a view of the underlying buffer (no copy); empty when absent.</summary>
    public ArraySegment<byte> Bytes(int field) =>
        table.__vector_as_arraysegment(VtableOffset(field)) ?? ArraySegment<byte>.Empty;

    /// <summary>The vtable offset of a field: fields are numbered from 0, each vtable entry is 2 bytes after a 4-byte header.</summary>
    public static short VtableOffset(int field) => (short)(4 + (2 * field));

    private int Slot(int field) => table.__offset(VtableOffset(field));

    private T[] Read<T>(int field, int elementSize, Func<ByteBuffer, int, T> get)
    {
        int o = Slot(field);
        if (o == 0)
        {
            return [];
        }

        int start = table.__vector(o);
        var values = new T[table.__vector_len(o)];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = get(table.bb, start + (i * elementSize));
        }

        return values;
    }
}
