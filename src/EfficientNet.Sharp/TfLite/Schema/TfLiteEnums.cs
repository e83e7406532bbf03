namespace EfficientNet.Sharp.TfLite.Schema;

/// <summary>The builtin operators the importer reads or names in messages (values from the TFLite schema's <c>BuiltinOperator</c>).</summary>
internal enum BuiltinOperator
{
    Add = 0,
    AveragePool2D = 1,
    Concatenation = 2,
    Conv2D = 3,
    DepthwiseConv2D = 4,
    Dequantize = 6,
    FullyConnected = 9,
    Logistic = 14,
    MaxPool2D = 17,
    Mul = 18,
    Relu = 19,
    Relu6 = 21,
    Reshape = 22,
    ResizeBilinear = 23,
    Softmax = 25,
    Pad = 34,
    Mean = 40,
    Sub = 41,
    Div = 42,
    Squeeze = 43,
    Quantize = 114,
    HardSwish = 117,
}

/// <summary>Tensor element types (the schema's <c>TensorType</c>).</summary>
internal enum TfLiteTensorType : sbyte
{
    Float32 = 0,
    Float16 = 1,
    Int32 = 2,
    UInt8 = 3,
    Int64 = 4,
    String = 5,
    Bool = 6,
    Int16 = 7,
    Complex64 = 8,
    Int8 = 9,
}

/// <summary>The schema's <c>Padding</c>.</summary>
internal enum TfLitePadding : sbyte
{
    Same = 0,
    Valid = 1,
}

/// <summary>The schema's <c>ActivationFunctionType</c>: an activation fused into the operator.</summary>
internal enum FusedActivation : sbyte
{
    None = 0,
    Relu = 1,
    ReluN1To1 = 2,
    Relu6 = 3,
    Tanh = 4,
    SignBit = 5,
}

/// <summary>Member numbers of the schema's <c>BuiltinOptions</c> union that the importer reads (0 = none).</summary>
internal enum BuiltinOptionsType : byte
{
    None = 0,
    Conv2D = 1,
    DepthwiseConv2D = 2,
    Pool2D = 5,
    FullyConnected = 8,
    Softmax = 9,
    Add = 11,
    Reshape = 17,
    Mul = 21,
    Reducer = 27,
    Sub = 28,
    Div = 29,
    Squeeze = 30,
}
