using System.Collections;
using System.Numerics;
using Razorvine.Pickle;
using TorchSharp;
using static TorchSharp.torch;

namespace EfficientNet.Sharp.Weights.Reading;

/// <summary>
/// Reads the object that <c>torch.save</c> wrote, in either of PyTorch's formats: the zip archive
/// (PyTorch ≥ 1.6: <c>data.pkl</c> plus one entry per storage) and the legacy stream (a magic number,
/// then pickles, then the raw storages appended in key order). Tensors come back as TorchSharp
/// tensors with the file's dtype, shape, strides and storage offset; dictionaries as
/// <see cref="Hashtable"/>, lists as <see cref="ArrayList"/>, tuples as object arrays.
/// </summary>
/// <remarks>
/// Pickles are decoded by Razorvine.Pickle (the package TorchSharp.PyBridge is built on). PyBridge's
/// own reader is not used for reading: it rejects the legacy format and files whose root is not a
/// dictionary, and misplaces tensors that start at an offset inside a shared storage.
/// </remarks>
internal static class PickledTensors
{
    /// <summary>The number <c>torch.save</c> writes first in the legacy format.</summary>
    private static readonly BigInteger LegacyMagicNumber = BigInteger.Parse("119547037146038801333356", System.Globalization.CultureInfo.InvariantCulture);

    public static object ReadZip(Stream stream)
    {
        using var archive = new System.IO.Compression.ZipArchive(stream, System.IO.Compression.ZipArchiveMode.Read, leaveOpen: true);
        var pickle = archive.Entries.FirstOrDefault(e => e.FullName.EndsWith("data.pkl", StringComparison.Ordinal) && e.FullName.Count(c => c == '/') <= 1)
            ?? throw new InvalidDataException("The zip archive has no data.pkl: it is not a PyTorch checkpoint.");
        string root = pickle.FullName[..^"data.pkl".Length];
        var byteOrder = archive.GetEntry(root + "byteorder");
        if (byteOrder is not null)
        {
            using var reader = new StreamReader(byteOrder.Open());
            if (reader.ReadToEnd().Trim() != "little")
            {
                throw new NotSupportedException("The checkpoint was written on a big-endian machine; only little-endian files are supported.");
            }
        }

        var unpickler = new TorchUnpickler();
        object graph;
        using (Stream pickleStream = pickle.Open())
        {
            graph = unpickler.load(pickleStream);
        }

        var storages = new Dictionary<string, Tensor>();
        foreach (StorageReference reference in unpickler.Storages.Values)
        {
            var entry = archive.GetEntry($"{root}data/{reference.Key}")
                ?? throw new InvalidDataException($"The archive lacks the storage entry 'data/{reference.Key}'.");
            using Stream data = entry.Open();
            storages[reference.Key] = ReadStorage(data, reference, available: entry.Length);
        }

        return Materialize(graph, storages);
    }

    public static object ReadLegacy(Stream stream)
    {
        object magic = ReadMagicNumber(stream);
        if (!(magic is BigInteger big && big == LegacyMagicNumber))
        {
            throw new InvalidDataException("The file is not a PyTorch checkpoint: the magic number is missing.");
        }

        object protocol = new Unpickler().load(stream);
        if (protocol is not int version || version != 1001)
        {
            throw new NotSupportedException($"Unsupported legacy PyTorch format version {protocol}.");
        }

        if (new Unpickler().load(stream) is Hashtable systemInfo && systemInfo["little_endian"] is false)
        {
            throw new NotSupportedException("The checkpoint was written on a big-endian machine; only little-endian files are supported.");
        }

        var unpickler = new TorchUnpickler();
        object graph = unpickler.load(stream);
        if (new Unpickler().load(stream) is not ArrayList keys)
        {
            throw new InvalidDataException("The legacy checkpoint has no storage list after its object.");
        }

        // Storages follow in the listed order, each as an 8-byte element count and the raw elements.
        var storages = new Dictionary<string, Tensor>();
        Span<byte> countBytes = stackalloc byte[8];
        foreach (string key in keys)
        {
            StorageReference reference = unpickler.Storages.GetValueOrDefault(key)
                ?? throw new InvalidDataException($"The legacy checkpoint lists storage '{key}' that no tensor uses.");
            stream.ReadExactly(countBytes);
            long count = System.Buffers.Binary.BinaryPrimitives.ReadInt64LittleEndian(countBytes);
            if (count != reference.ElementCount)
            {
                throw new InvalidDataException($"Storage '{key}' holds {count} elements, but its tensors expect {reference.ElementCount}.");
            }

            storages[key] = ReadStorage(stream, reference, available: stream.Length - stream.Position);
        }

        return Materialize(graph, storages);
    }

    /// <summary>
    /// The legacy format's first pickle is a number too large for a 64-bit integer. With pickle
    /// protocols 0 and 1 it is written as text (<c>L…L</c>), which Razorvine cannot parse, so that form
    /// is read here; binary protocols go through Razorvine.
    /// </summary>
    private static object ReadMagicNumber(Stream stream)
    {
        int first = stream.ReadByte();
        if (first != 'L')
        {
            stream.Seek(-1, SeekOrigin.Current);
            return new Unpickler().load(stream);
        }

        var digits = new System.Text.StringBuilder();
        for (int b = stream.ReadByte(); b != '\n'; b = stream.ReadByte())
        {
            if (b < 0 || digits.Length > 64)
            {
                throw new InvalidDataException("The file is not a PyTorch checkpoint: the magic number is missing.");
            }

            digits.Append((char)b);
        }

        if (stream.ReadByte() != '.')
        {
            throw new InvalidDataException("The file is not a PyTorch checkpoint: the magic number is malformed.");
        }

        return BigInteger.TryParse(digits.ToString().TrimEnd('L'), System.Globalization.CultureInfo.InvariantCulture, out BigInteger value)
            ? value
            : throw new InvalidDataException("The file is not a PyTorch checkpoint: the magic number is malformed.");
    }

    /// <summary>Reads a storage's bytes; <paramref name="available"/> is what the file holds for it, so a corrupted element count cannot make this allocate more than the file's size.</summary>
    private static Tensor ReadStorage(Stream data, StorageReference reference, long available)
    {
        long length = checked(reference.ElementCount * TensorDataTypes.ElementSize(reference.Type));
        if (reference.ElementCount < 0 || length > available)
        {
            throw new InvalidDataException($"Storage '{reference.Key}' declares {reference.ElementCount:N0} elements ({length:N0} bytes), but the file holds {available:N0} bytes for it: it is truncated or corrupted.");
        }

        if (length > Array.MaxLength)
        {
            throw new NotSupportedException($"Storage '{reference.Key}' is {length} bytes; storages over 2 GB are not supported.");
        }

        byte[] bytes = new byte[length];
        try
        {
            data.ReadExactly(bytes);
        }
        catch (EndOfStreamException exception)
        {
            throw new InvalidDataException($"The file ends inside storage '{reference.Key}' ({length} bytes expected): it is truncated.", exception);
        }

        Tensor storage = torch.empty(reference.ElementCount, reference.Type);
        storage.bytes = bytes;
        return storage;
    }

    /// <summary>Replaces every pending tensor in the object graph by a view of its storage.</summary>
    private static object Materialize(object graph, IReadOnlyDictionary<string, Tensor> storages)
    {
        return Visit(graph);

        object Visit(object node)
        {
            switch (node)
            {
                case PendingTensor pending:
                    return pending.Create(storages);
                case Hashtable table:
                    foreach (object key in table.Keys.Cast<object>().ToList())
                    {
                        table[key] = table[key] is { } value ? Visit(value) : null;
                    }

                    return table;
                case ArrayList list:
                    for (int i = 0; i < list.Count; i++)
                    {
                        list[i] = list[i] is { } item ? Visit(item) : null;
                    }

                    return list;
                case object[] tuple:
                    for (int i = 0; i < tuple.Length; i++)
                    {
                        tuple[i] = tuple[i] is { } item ? Visit(item) : null!;
                    }

                    return tuple;
                default:
                    return node;
            }
        }
    }
}
