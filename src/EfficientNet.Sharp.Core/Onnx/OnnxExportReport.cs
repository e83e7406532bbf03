namespace EfficientNet.Sharp.Onnx;

/// <summary>What an ONNX export wrote.</summary>
public sealed record OnnxExportReport
{
    internal OnnxExportReport()
    {
    }

    /// <summary>The model file, or <see langword="null"/> for a stream export.</summary>
    public string? Path { get; init; }

    /// <summary>The external data file holding the weights, when they were too large to stay inline; otherwise <see langword="null"/>.</summary>
    public string? ExternalDataPath { get; init; }

    /// <summary>The ONNX opset written.</summary>
    public int Opset { get; init; }

    /// <summary>The input's name and shape, symbolic dimensions by name, e.g. <c>input [batch, 3, 224, 224]</c>.</summary>
    public required string Input { get; init; }

    /// <summary>The output's name and shape, e.g. <c>logits [batch, 1000]</c>.</summary>
    public required string Output { get; init; }

    /// <summary>Operators in the graph.</summary>
    public int NodeCount { get; init; }

    /// <summary>Weight tensors (initializers) in the graph.</summary>
    public int InitializerCount { get; init; }

    /// <summary>How the file is quantized (int8 in QDQ form, with where the parameters came from), or <see langword="null"/> for a float32 file.</summary>
    public string? Quantization { get; init; }

    /// <summary>Bytes written: the model, plus the external data when there is some.</summary>
    public long Bytes { get; init; }
}
