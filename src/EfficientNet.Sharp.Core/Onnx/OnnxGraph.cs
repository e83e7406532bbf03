using System.Runtime.InteropServices;
using EfficientNet.Sharp.Onnx.Protobuf;
using Google.Protobuf;

namespace EfficientNet.Sharp.Onnx;

/// <summary>
/// Collects an ONNX graph: nodes in execution order and float32 initializers, with unique value names
/// derived from the module paths they come from.
/// </summary>
internal sealed class OnnxGraph
{
    private readonly HashSet<string> names = [];

    public GraphProto Proto { get; } = new();

    /// <summary>Adds a float32 initializer with the values and shape given; returns its name.</summary>
    public string Initializer(string name, long[] shape, ReadOnlySpan<float> values)
    {
        string unique = Unique(name);
        var tensor = new TensorProto { Name = unique, DataType = (int)TensorProto.Types.DataType.Float, RawData = ByteString.CopyFrom(MemoryMarshal.AsBytes(values)) };
        tensor.Dims.AddRange(shape);
        Proto.Initializer.Add(tensor);
        return unique;
    }

    /// <summary>Adds a float32 initializer of the given shape from its little-endian bytes; returns its name.</summary>
    public string Initializer(string name, long[] shape, byte[] littleEndianFloats)
    {
        string unique = Unique(name);
        var tensor = new TensorProto { Name = unique, DataType = (int)TensorProto.Types.DataType.Float, RawData = ByteString.CopyFrom(littleEndianFloats) };
        tensor.Dims.AddRange(shape);
        Proto.Initializer.Add(tensor);
        return unique;
    }

    /// <summary>Adds an initializer of any element type from its little-endian bytes; returns its name.</summary>
    public string Initializer(string name, long[] shape, TensorProto.Types.DataType type, byte[] littleEndianValues)
    {
        string unique = Unique(name);
        var tensor = new TensorProto { Name = unique, DataType = (int)type, RawData = ByteString.CopyFrom(littleEndianValues) };
        tensor.Dims.AddRange(shape);
        Proto.Initializer.Add(tensor);
        return unique;
    }

    /// <summary>A float32 scalar (shape []) initializer, for operator inputs such as <c>Clip</c>'s bounds.</summary>
    public string Scalar(string name, float value) => Initializer(name, [], BitConverter.GetBytes(value));

    /// <summary>Adds a node with one output and returns the output's name.</summary>
    public string Node(string opType, string name, IEnumerable<string> inputs, params AttributeProto[] attributes)
    {
        string output = Unique(name);
        var node = new NodeProto { OpType = opType, Name = output };
        node.Input.AddRange(inputs);
        node.Output.Add(output);
        node.Attribute.AddRange(attributes);
        Proto.Node.Add(node);
        return output;
    }

    /// <summary>Renames the last node's output (the graph output keeps the caller's name).</summary>
    public void RenameLastOutput(string name)
    {
        NodeProto last = Proto.Node[^1];
        names.Add(name);
        last.Output[0] = name;
    }

    public static AttributeProto Ints(string name, params long[] values)
    {
        var attribute = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        attribute.Ints.AddRange(values);
        return attribute;
    }

    public static AttributeProto Int(string name, long value) => new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value };

    public static AttributeProto Float(string name, float value) => new() { Name = name, Type = AttributeProto.Types.AttributeType.Float, F = value };

    public static AttributeProto String(string name, string value) => new() { Name = name, Type = AttributeProto.Types.AttributeType.String, S = ByteString.CopyFromUtf8(value) };

    private string Unique(string name)
    {
        string candidate = name;
        for (int i = 1; !names.Add(candidate); i++)
        {
            candidate = $"{name}_{i}";
        }

        return candidate;
    }
}
