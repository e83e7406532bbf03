using System.Buffers.Binary;

namespace EfficientNet.Sharp.Tests.TfLite;

/// <summary>
/// Where things are in a TFLite file, found by following its FlatBuffers offsets, so that tests can corrupt
/// one chosen word (a vtable offset, a vector length, a buffer's offset, a tensor's shape).
/// </summary>
internal sealed class FlatBufferMap(byte[] bytes)
{
    public int Root => Indirect(0);

    /// <summary>Where a table's field is stored, or −1 when the field is absent.</summary>
    public int Field(int table, int field)
    {
        int vtable = table - BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(table));
        int entry = 4 + (2 * field);
        int offset = entry + 2 <= BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(vtable)) ? BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(vtable + entry)) : 0;
        return offset == 0 ? -1 : table + offset;
    }

    /// <summary>Where the vector a field points to starts (its 32-bit length).</summary>
    public int Vector(int table, int field) => Indirect(Field(table, field));

    public int Length(int vector) => BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(vector));

    /// <summary>The <paramref name="index"/>-th table of a vector-of-tables field.</summary>
    public int TableAt(int table, int field, int index) => Indirect(Vector(table, field) + 4 + (4 * index));

    public int Indirect(int position) => position + BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(position));

    /// <summary>
    /// The 32-bit words that hold the file's structure: each table's vtable offset, each offset to a table,
    /// vector or string, and each vector's length, for the model, its operator codes, subgraphs, tensors
    /// (with their quantization), operators and buffers.
    /// </summary>
    public IEnumerable<int> StructuralWords()
    {
        var words = new SortedSet<int>();
        Table(Root, [1, 2, 3, 4]);
        foreach (int code in Tables(Root, 1))
        {
            Table(code, [1]);
        }

        foreach (int graph in Tables(Root, 2))
        {
            Table(graph, [0, 1, 2, 3, 4]);
            foreach (int tensor in Tables(graph, 0))
            {
                Table(tensor, [0, 3, 4]);
                if (Field(tensor, 4) >= 0)
                {
                    Table(Indirect(Field(tensor, 4)), [0, 1, 2, 3]);
                }
            }

            foreach (int op in Tables(graph, 3))
            {
                Table(op, [1, 2, 4]);
            }
        }

        foreach (int buffer in Tables(Root, 4))
        {
            Table(buffer, [0]);
        }

        return words;

        // The table's own vtable offset, and for each offset field present, the offset and (for vectors and strings) the length.
        void Table(int table, int[] offsetFields)
        {
            words.Add(table);
            foreach (int field in offsetFields)
            {
                if (Field(table, field) is var at and >= 0)
                {
                    words.Add(at);
                    words.Add(Indirect(at));
                }
            }
        }
    }

    private IEnumerable<int> Tables(int table, int field)
    {
        if (Field(table, field) < 0)
        {
            yield break;
        }

        for (int i = 0; i < Length(Vector(table, field)); i++)
        {
            yield return TableAt(table, field, i);
        }
    }

    /// <summary>The byte ranges holding weights (buffer data), where a changed value cannot be detected.</summary>
    public IEnumerable<(int Start, int End)> BufferData()
    {
        int buffers = Vector(Root, 4);
        for (int i = 0; i < Length(buffers); i++)
        {
            int buffer = TableAt(Root, 4, i);
            if (Field(buffer, 0) >= 0)
            {
                int data = Vector(buffer, 0);
                yield return (data + 4, data + 4 + Length(data));
            }
        }
    }
}
