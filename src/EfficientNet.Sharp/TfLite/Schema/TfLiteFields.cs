namespace EfficientNet.Sharp.TfLite.Schema;

/// <summary>
/// Field indices of the TensorFlow Lite schema (<c>tensorflow/lite/schema/schema.fbs</c>, file identifier
/// "TFL3"): the position of each field in its table declaration. New fields are only ever appended to the
/// schema, so these indices hold for every file version.
/// </summary>
internal static class TfLiteFields
{
    public const string FileIdentifier = "TFL3";

    public static class Model
    {
        public const int Version = 0;
        public const int OperatorCodes = 1;
        public const int Subgraphs = 2;
        public const int Description = 3;
        public const int Buffers = 4;
    }

    public static class SubGraph
    {
        public const int Tensors = 0;
        public const int Inputs = 1;
        public const int Outputs = 2;
        public const int Operators = 3;
        public const int Name = 4;
    }

    public static class Tensor
    {
        public const int Shape = 0;
        public const int Type = 1;
        public const int Buffer = 2;
        public const int Name = 3;
        public const int Quantization = 4;
    }

    public static class Quantization
    {
        public const int Min = 0;
        public const int Max = 1;
        public const int Scale = 2;
        public const int ZeroPoint = 3;
        public const int DetailsType = 4;
        public const int Details = 5;
        public const int QuantizedDimension = 6;
    }

    /// <summary>Buffers over 2 GB are stored after the flatbuffer and located by offset and size instead of data.</summary>
    public static class Buffer
    {
        public const int Data = 0;
        public const int Offset = 1;
        public const int Size = 2;
    }

    /// <summary>
    /// Operator codes up to 127 were a signed byte; newer files add a 32-bit field and keep the byte as
    /// "deprecated" (set to 127 for codes above it), so the code is the larger of the two.
    /// </summary>
    public static class OperatorCode
    {
        public const int DeprecatedBuiltinCode = 0;
        public const int CustomCode = 1;
        public const int Version = 2;
        public const int BuiltinCode = 3;
    }

    public static class Operator
    {
        public const int OpcodeIndex = 0;
        public const int Inputs = 1;
        public const int Outputs = 2;
        public const int BuiltinOptionsType = 3;
        public const int BuiltinOptions = 4;
    }

    /// <summary>Conv2DOptions, DepthwiseConv2DOptions and Pool2DOptions (each table lists its own fields).</summary>
    public static class Conv2DOptions
    {
        public const int Padding = 0;
        public const int StrideW = 1;
        public const int StrideH = 2;
        public const int FusedActivation = 3;
        public const int DilationW = 4;
        public const int DilationH = 5;
    }

    public static class DepthwiseConv2DOptions
    {
        public const int Padding = 0;
        public const int StrideW = 1;
        public const int StrideH = 2;
        public const int DepthMultiplier = 3;
        public const int FusedActivation = 4;
        public const int DilationW = 5;
        public const int DilationH = 6;
    }

    public static class Pool2DOptions
    {
        public const int Padding = 0;
        public const int StrideW = 1;
        public const int StrideH = 2;
        public const int FilterWidth = 3;
        public const int FilterHeight = 4;
        public const int FusedActivation = 5;
    }

    /// <summary>AddOptions, MulOptions and FullyConnectedOptions all start with the fused activation.</summary>
    public static class FusedActivationOptions
    {
        public const int FusedActivation = 0;
    }

    public static class ReducerOptions
    {
        public const int KeepDims = 0;
    }

    public static class SoftmaxOptions
    {
        public const int Beta = 0;
    }
}
