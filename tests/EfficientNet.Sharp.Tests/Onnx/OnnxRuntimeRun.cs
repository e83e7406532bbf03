using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using TorchSharp;
using Tensor = TorchSharp.torch.Tensor;

namespace EfficientNet.Sharp.Tests.Onnx;

/// <summary>Runs an exported model in ONNX Runtime (the independent reference) on a TorchSharp input.</summary>
internal static class OnnxRuntimeRun
{
    public static InferenceSession Session(byte[] model, bool optimize = true) =>
        new(model, Options(optimize));

    public static InferenceSession Session(string path, bool optimize = true) =>
        new(path, Options(optimize));

    /// <summary>The first output for <paramref name="input"/> (N × C × H × W float32), as a TorchSharp tensor.</summary>
    public static Tensor Run(InferenceSession session, Tensor input)
    {
        float[] values = input.contiguous().data<float>().ToArray();
        var tensor = new DenseTensor<float>(values, [.. input.shape.Select(d => (int)d)]);
        string name = session.InputMetadata.Keys.Single();
        using IDisposableReadOnlyCollection<DisposableNamedOnnxValue> results = session.Run([NamedOnnxValue.CreateFromTensor(name, tensor)]);
        DenseTensor<float> output = (DenseTensor<float>)results.First().AsTensor<float>();
        return torch.tensor(output.Buffer.ToArray(), [.. output.Dimensions.ToArray().Select(d => (long)d)]);
    }

    private static SessionOptions Options(bool optimize) => new()
    {
        GraphOptimizationLevel = optimize ? GraphOptimizationLevel.ORT_ENABLE_ALL : GraphOptimizationLevel.ORT_DISABLE_ALL,
        IntraOpNumThreads = 2,
    };
}
