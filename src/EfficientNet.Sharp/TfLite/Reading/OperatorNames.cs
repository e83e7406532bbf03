using EfficientNet.Sharp.TfLite.Schema;

namespace EfficientNet.Sharp.TfLite.Reading;

/// <summary>The schema's names of builtin operators, for messages that a TFLite user recognises.</summary>
internal static class OperatorNames
{
    public static string Of(int code) => (BuiltinOperator)code switch
    {
        BuiltinOperator.Add => "ADD",
        BuiltinOperator.AveragePool2D => "AVERAGE_POOL_2D",
        BuiltinOperator.Concatenation => "CONCATENATION",
        BuiltinOperator.Conv2D => "CONV_2D",
        BuiltinOperator.DepthwiseConv2D => "DEPTHWISE_CONV_2D",
        BuiltinOperator.Dequantize => "DEQUANTIZE",
        BuiltinOperator.FullyConnected => "FULLY_CONNECTED",
        BuiltinOperator.Logistic => "LOGISTIC",
        BuiltinOperator.MaxPool2D => "MAX_POOL_2D",
        BuiltinOperator.Mul => "MUL",
        BuiltinOperator.Relu => "RELU",
        BuiltinOperator.Relu6 => "RELU6",
        BuiltinOperator.Reshape => "RESHAPE",
        BuiltinOperator.ResizeBilinear => "RESIZE_BILINEAR",
        BuiltinOperator.Softmax => "SOFTMAX",
        BuiltinOperator.Pad => "PAD",
        BuiltinOperator.Mean => "MEAN",
        BuiltinOperator.Sub => "SUB",
        BuiltinOperator.Div => "DIV",
        BuiltinOperator.Squeeze => "SQUEEZE",
        BuiltinOperator.Quantize => "QUANTIZE",
        BuiltinOperator.HardSwish => "HARD_SWISH",
        _ => $"builtin operator {code}",
    };

    public static string Of(BuiltinOperator code) => Of((int)code);
}
