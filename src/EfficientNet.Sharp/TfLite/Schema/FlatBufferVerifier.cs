using System.Buffers.Binary;

namespace EfficientNet.Sharp.TfLite.Schema;

/// <summary>
/// Checks the FlatBuffers structures a reader is about to follow: every table, vtable, field, vector and
/// string lies inside the buffer, with the format's alignment, and is reached through offsets computed
/// without overflow (offsets are unsigned 32-bit, vtable entries unsigned 16-bit). It throws
/// <see cref="InvalidDataException"/> naming the first violation and its byte position, and never writes
/// anywhere. It is the project's own because Google.FlatBuffers 25.2.10's C# verifier narrows vtable
/// offsets to 16-bit signed values (google/flatbuffers#8937), so it fails on every table past byte 32,767 of
/// a file, prints the exception to stdout, and reports the field as absent instead of checking it.
/// </summary>
internal sealed class FlatBufferVerifier
{
    /// <summary>More tables than any real model holds; bounds the work a crafted file can cause (FlatBuffers' own default).</summary>
    private const int MaxTables = 1_000_000;

    /// <summary>Deeper nesting than the TFLite schema has.</summary>
    private const int MaxDepth = 64;

    private readonly byte[] bytes;
    private int tables;

    public FlatBufferVerifier(byte[] bytes) => this.bytes = bytes;

    /// <summary>The root table, after checking the root offset and the 4-byte file identifier after it.</summary>
    public VerifiedTable Root(string identifier)
    {
        Require(bytes.Length >= 8, 0, "the file is shorter than a FlatBuffers header");
        Require(bytes.AsSpan(4, 4).SequenceEqual(System.Text.Encoding.ASCII.GetBytes(identifier)), 4, $"the file identifier is not \"{identifier}\"");
        return Table(Indirect(0), depth: 0);
    }

    /// <summary>A table at <paramref name="position"/>: its vtable and its inline part lie in the buffer.</summary>
    public VerifiedTable Table(long position, int depth)
    {
        Require(depth <= MaxDepth, position, "tables are nested deeper than the schema allows");
        Require(++tables <= MaxTables, position, $"more than {MaxTables:N0} tables");
        Aligned(position, 4, "table");
        InBuffer(position, 4, "the table");
        long vtable = position - BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan((int)position));
        Aligned(vtable, 2, "vtable");
        InBuffer(vtable, 4, "the vtable");
        int vtableSize = BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan((int)vtable));
        int tableSize = BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan((int)vtable + 2));
        Require(vtableSize >= 4 && vtableSize % 2 == 0, vtable, $"vtable size {vtableSize} is not an even number of at least 4 bytes");
        InBuffer(vtable, vtableSize, "the vtable");
        Require(tableSize >= 4, vtable, $"table size {tableSize} is below 4 bytes");
        InBuffer(position, tableSize, "the table");
        return new VerifiedTable((int)position, (int)vtable, vtableSize, tableSize, depth);
    }

    /// <summary>The position of a present field's value inside the table (after checking it fits), or null.</summary>
    public int? Field(VerifiedTable table, int field, int size)
    {
        int entry = 4 + (2 * field);
        if (entry + 2 > table.VTableSize)
        {
            return null;
        }

        int offset = BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(table.VTable + entry));
        if (offset == 0)
        {
            return null;
        }

        Require(offset >= 4 && offset + size <= table.TableSize, table.Position, $"field {field} (offset {offset}, {size} bytes) lies outside its {table.TableSize}-byte table");
        Aligned(table.Position + offset, size, $"field {field}");
        return table.Position + offset;
    }

    /// <summary>Checks a scalar field of <paramref name="size"/> bytes.</summary>
    public void Scalar(VerifiedTable table, int field, int size) => Field(table, field, size);

    /// <summary>The table a field points to, or null when absent.</summary>
    public VerifiedTable? TableField(VerifiedTable table, int field) =>
        Field(table, field, 4) is int at ? Table(Indirect(at), table.Depth + 1) : null;

    /// <summary>A vector field: its element count, after checking that all elements lie in the buffer.</summary>
    public (int Start, int Count)? Vector(VerifiedTable table, int field, int elementSize)
    {
        if (Field(table, field, 4) is not int at)
        {
            return null;
        }

        long vector = Indirect(at);
        Aligned(vector, 4, $"vector of field {field}");
        InBuffer(vector, 4, $"the vector of field {field}");
        long count = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan((int)vector));
        InBuffer(vector + 4, count * elementSize, $"the {count:N0} elements of field {field}'s vector");
        return ((int)vector + 4, (int)count);
    }

    /// <summary>A string field: a byte vector followed by a zero byte.</summary>
    public void String(VerifiedTable table, int field)
    {
        if (Vector(table, field, 1) is (int start, int count))
        {
            InBuffer(start + (long)count, 1, $"the terminator of field {field}'s string");
            Require(bytes[start + count] == 0, start + count, $"field {field}'s string is not zero-terminated");
        }
    }

    /// <summary>The tables of a vector-of-tables field (empty when absent).</summary>
    public IEnumerable<VerifiedTable> Tables(VerifiedTable table, int field)
    {
        if (Vector(table, field, 4) is not (int start, int count))
        {
            yield break;
        }

        for (int i = 0; i < count; i++)
        {
            yield return Table(Indirect(start + (4L * i)), table.Depth + 1);
        }
    }

    /// <summary>The union value of a (type, value) field pair: its type byte and table, or null when absent or NONE.</summary>
    public (byte Type, VerifiedTable Table)? Union(VerifiedTable table, int typeField, int valueField)
    {
        byte type = Field(table, typeField, 1) is int at ? bytes[at] : (byte)0;
        VerifiedTable? value = TableField(table, valueField);
        return type != 0 && value is { } t ? (type, t) : null;
    }

    /// <summary>Follows the unsigned 32-bit offset stored at <paramref name="position"/>; the target must be in the buffer.</summary>
    private long Indirect(long position)
    {
        InBuffer(position, 4, "the offset");
        long target = position + BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan((int)position));
        Require(target < bytes.Length, position, $"the offset points to byte {target:N0}, past the end of the {bytes.Length:N0}-byte file");
        return target;
    }

    private void InBuffer(long position, long length, string what) =>
        Require(position >= 0 && length >= 0 && position + length <= bytes.Length, position, $"{what} ({length:N0} bytes) extends past the end of the {bytes.Length:N0}-byte file");

    private static void Aligned(long position, int alignment, string what) =>
        Require(position % alignment == 0, position, $"the {what} is not aligned to {alignment} bytes");

    private static void Require(bool condition, long position, string problem)
    {
        if (!condition)
        {
            throw new InvalidDataException($"at byte {position:N0}: {problem}");
        }
    }
}

/// <summary>A table whose header, vtable and inline part have been checked.</summary>
/// <param name="Position">Where the table starts (its vtable offset).</param>
/// <param name="VTable">Where its vtable starts.</param>
/// <param name="VTableSize">The vtable's size in bytes.</param>
/// <param name="TableSize">The table's inline size in bytes.</param>
/// <param name="Depth">How many tables lead to it from the root.</param>
internal readonly record struct VerifiedTable(int Position, int VTable, int VTableSize, int TableSize, int Depth);
