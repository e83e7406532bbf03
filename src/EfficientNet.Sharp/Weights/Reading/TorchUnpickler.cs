using System.Collections;
using Razorvine.Pickle;
using Razorvine.Pickle.Objects;
using static TorchSharp.torch;

namespace EfficientNet.Sharp.Weights.Reading;

/// <summary>
/// A Razorvine unpickler that understands what <c>torch.save</c> writes: persistent storage references
/// and the <c>torch._utils._rebuild_*</c> functions. Tensors are first recorded as
/// <see cref="PendingTensor"/>s, because in the legacy format the storages come after the pickle.
/// </summary>
internal sealed class TorchUnpickler : Unpickler
{
    private static readonly Lock RegistrationLock = new();

    public TorchUnpickler() => EnsureConstructorsRegistered();

    /// <summary>The storages referenced so far, by key.</summary>
    public Dictionary<string, StorageReference> Storages { get; } = [];

    /// <summary>
    /// A persistent id is <c>("storage", storage type, key, location, element count[, view metadata])</c>.
    /// </summary>
    protected override object persistentLoad(object pid)
    {
        if (pid is not object[] { Length: >= 5 } id || id[0] as string != "storage")
        {
            throw new InvalidDataException("The pickle refers to an unknown kind of persistent object (expected a tensor storage).");
        }

        string typeName = id[1] switch
        {
            ClassDictConstructor constructor => constructor.name,
            string text => text,
            _ => throw new InvalidDataException("A storage reference has no storage type."),
        };
        string key = Convert.ToString(id[2], System.Globalization.CultureInfo.InvariantCulture)!;
        long count = Convert.ToInt64(id[4], System.Globalization.CultureInfo.InvariantCulture);
        if (!Storages.TryGetValue(key, out StorageReference? storage))
        {
            storage = new StorageReference(key, TensorDataTypes.FromStorageName(typeName), count);
            Storages[key] = storage;
        }

        // Very old files could point into part of a storage: (view key, offset, size).
        return id.Length > 5 && id[5] is object[] { Length: 3 } view
            ? new StorageView(storage, Convert.ToInt64(view[1], System.Globalization.CultureInfo.InvariantCulture))
            : new StorageView(storage, 0);
    }

    /// <summary>
    /// Razorvine keeps object constructors in one process-wide table, which TorchSharp.PyBridge also
    /// fills. Ours handle our storage references and hand anything else to the constructor that was
    /// registered before them, so both readers keep working whichever registers first.
    /// </summary>
    private static void EnsureConstructorsRegistered()
    {
        lock (RegistrationLock)
        {
            Register("torch._utils", "_rebuild_tensor", fallback => new RebuildTensor(fallback));
            Register("torch._utils", "_rebuild_tensor_v2", fallback => new RebuildTensor(fallback));
            Register("torch._utils", "_rebuild_parameter", fallback => new RebuildParameter(fallback));
            Register("torch._utils", "_rebuild_parameter_with_state", fallback => new RebuildParameter(fallback));
            Register("collections", "OrderedDict", _ => new OrderedDictConstructor());
        }

        static void Register(string module, string name, Func<IObjectConstructor?, IObjectConstructor> create)
        {
            objectConstructors.TryGetValue($"{module}.{name}", out IObjectConstructor? current);
            if (current is not IOwnConstructor)
            {
                registerConstructor(module, name, create(current));
            }
        }
    }

    /// <summary>Marks the constructors this reader registered.</summary>
    private interface IOwnConstructor;

    /// <summary><c>_rebuild_tensor(storage, offset, size, stride, …)</c>.</summary>
    private sealed class RebuildTensor(IObjectConstructor? fallback) : IObjectConstructor, IOwnConstructor
    {
        public object construct(object[] args)
        {
            if (args.Length >= 4 && args[0] is StorageView view)
            {
                return new PendingTensor(view.Storage, view.Offset + ToLong(args[1]), ToLongs(args[2]), ToLongs(args[3]));
            }

            return fallback?.construct(args) ?? throw new InvalidDataException("A tensor in the pickle has no storage.");
        }
    }

    /// <summary><c>_rebuild_parameter(data, requires_grad, hooks)</c>: a Parameter in a state dict is just its data.</summary>
    private sealed class RebuildParameter(IObjectConstructor? fallback) : IObjectConstructor, IOwnConstructor
    {
        public object construct(object[] args) =>
            args.Length >= 1 && args[0] is PendingTensor tensor
                ? tensor
                : fallback?.construct(args) ?? throw new InvalidDataException("A parameter in the pickle has no tensor.");
    }

    /// <summary>OrderedDict as a Hashtable; its state (the <c>_metadata</c> attribute of a state dict) is not needed.</summary>
    private sealed class OrderedDictConstructor : IObjectConstructor, IOwnConstructor
    {
        public object construct(object[] args) => new StateHashtable();
    }

    private static long ToLong(object value) => Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture);

    private static long[] ToLongs(object value) => value switch
    {
        object[] tuple => [.. tuple.Select(ToLong)],
        ArrayList list => [.. list.Cast<object>().Select(ToLong)],
        _ => throw new InvalidDataException("A tensor's shape or strides are not a tuple."),
    };
}

/// <summary>A Hashtable that accepts (and ignores) the state Python attaches to an OrderedDict.</summary>
internal sealed class StateHashtable : Hashtable
{
    /// <summary>Called by the unpickler's BUILD opcode.</summary>
    public void __setstate__(Hashtable state)
    {
    }

    /// <summary>Called by the unpickler's BUILD opcode for states written as a tuple.</summary>
    public void __setstate__(object[] state)
    {
    }
}

/// <summary>One storage of the file: its key, element type and element count.</summary>
internal sealed record StorageReference(string Key, ScalarType Type, long ElementCount);

/// <summary>A storage as a persistent id yields it, with the offset of the view that uses it.</summary>
internal sealed record StorageView(StorageReference Storage, long Offset);

/// <summary>A tensor whose storage is read later: a strided view into it.</summary>
internal sealed record PendingTensor(StorageReference Storage, long Offset, long[] Shape, long[] Strides)
{
    public Tensor Create(IReadOnlyDictionary<string, Tensor> storages)
    {
        if (Shape.Length != Strides.Length || Shape.Any(d => d < 0) || Strides.Any(s => s < 0) || Offset < 0)
        {
            throw new InvalidDataException($"A tensor in storage '{Storage.Key}' has an invalid shape [{string.Join(", ", Shape)}], strides [{string.Join(", ", Strides)}] or offset {Offset}.");
        }

        // The last element the view touches must lie inside the storage (checked: a corrupted size overflows).
        long last = checked(Offset + Shape.Zip(Strides, (size, stride) => size == 0 ? 0 : checked((size - 1) * stride)).Sum());
        bool empty = Shape.Any(d => d == 0);
        if (!empty && last >= Storage.ElementCount)
        {
            throw new InvalidDataException($"A tensor of shape [{string.Join(", ", Shape)}] reaches past the end of storage '{Storage.Key}' ({Storage.ElementCount} elements).");
        }

        Tensor storage = storages.GetValueOrDefault(Storage.Key)
            ?? throw new InvalidDataException($"Storage '{Storage.Key}' is missing from the file.");
        return storage.as_strided(Shape, Strides, Offset);
    }
}
