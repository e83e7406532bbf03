using EfficientNet.Sharp.Data;
using EfficientNet.Sharp.Onnx.Protobuf;
using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace EfficientNet.Sharp.Onnx.Int8;

/// <summary>An ONNX model held in memory, run by ONNX Runtime on batches of images; each output is handed to the caller while it lives.</summary>
internal sealed class OrtBatchRunner : IDisposable
{
    /// <summary>Images per run: enough to keep both cores busy, small enough for a B7 probe's every activation.</summary>
    public const int BatchSize = 8;

    private readonly InferenceSession session;
    private readonly string input;

    public OrtBatchRunner(ModelProto model)
    {
        using var options = new SessionOptions { LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL, IntraOpNumThreads = Environment.ProcessorCount };
        session = new InferenceSession(model.ToByteArray(), options);
        input = session.InputMetadata.Keys.Single();
    }

    /// <summary>Runs <paramref name="images"/> batch by batch; <paramref name="onOutput"/> sees every output of every batch (name, values, batch size).</summary>
    public void Run(ImageDataset images, ImageTransform transform, Action<string, ReadOnlySpan<float>, int> onOutput, Action<int>? onBatch, CancellationToken cancellationToken)
    {
        var batches = new ImageBatches(images, transform, BatchSize, shuffle: false);
        int done = 0;
        foreach (ImageBatch batch in batches.Epoch(0, cancellationToken))
        {
            using (batch)
            {
                float[] values = batch.Images.contiguous().data<float>().ToArray();
                RunOne(values, [.. batch.Images.shape.Select(d => (int)d)], onOutput);
                done += batch.Count;
            }

            onBatch?.Invoke(done);
        }
    }

    /// <summary>Runs one N × C × H × W batch; <paramref name="onOutput"/> sees the input (by the graph input's name) and then every output.</summary>
    public void RunOne(float[] values, int[] shape, Action<string, ReadOnlySpan<float>, int> onOutput)
    {
        onOutput(input, values, shape[0]);
        var tensor = new DenseTensor<float>(values, shape);
        using IDisposableReadOnlyCollection<DisposableNamedOnnxValue> results = session.Run([NamedOnnxValue.CreateFromTensor(input, tensor)]);
        foreach (DisposableNamedOnnxValue result in results)
        {
            onOutput(result.Name, ((DenseTensor<float>)result.AsTensor<float>()).Buffer.Span, shape[0]);
        }
    }

    public void Dispose() => session.Dispose();
}
