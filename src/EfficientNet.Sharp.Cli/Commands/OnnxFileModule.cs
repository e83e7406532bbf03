using EfficientNet.Sharp.OnnxRuntime;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using TorchSharp;
using static TorchSharp.torch;
using Tensor = TorchSharp.torch.Tensor;

namespace EfficientNet.Sharp.Cli.Commands;

/// <summary>
/// An exported ONNX file — float or int8 — run by ONNX Runtime behind TorchSharp's module interface, so that
/// <c>effnet evaluate --onnx</c> measures the exact file a user deploys with the evaluator every network goes through.
/// The file's class scores come back as logits (a file that outputs probabilities gives their logarithm, whose softmax
/// is the same probabilities).
/// </summary>
internal sealed class OnnxFileModule : nn.Module<Tensor, Tensor>
{
    private readonly InferenceSession session;

    public OnnxFileModule(string path, int? threads)
        : base(nameof(OnnxFileModule))
    {
        using var options = new SessionOptions { LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL, IntraOpNumThreads = threads ?? Environment.ProcessorCount };
        session = new InferenceSession(path, options);
        try
        {
            Model = ExportedModel.Describe(session, path);
            if (Model.Output is not (ModelOutput.Logits or ModelOutput.Probabilities))
            {
                throw new InvalidDataException($"'{path}' outputs {Model.Output}, not class scores: it has no classifier to evaluate.");
            }

            if (Model.Preprocessing is null)
            {
                throw new InvalidDataException($"'{path}' records no preprocessing: export it with its preprocessing (effnet export writes it) so its images are prepared as it expects.");
            }
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    /// <summary>The file's signature and metadata.</summary>
    public ExportedModel Model { get; }

    public override Tensor forward(Tensor input)
    {
        float[] values = input.contiguous().data<float>().ToArray();
        var tensor = new DenseTensor<float>(values, [.. input.shape.Select(d => (int)d)]);
        using IDisposableReadOnlyCollection<DisposableNamedOnnxValue> results = session.Run([NamedOnnxValue.CreateFromTensor(Model.InputName, tensor)]);
        DenseTensor<float> output = (DenseTensor<float>)results.First(r => r.Name == Model.OutputName).AsTensor<float>();
        Tensor scores = torch.tensor(output.Buffer.ToArray(), [.. output.Dimensions.ToArray().Select(d => (long)d)]);
        if (Model.Output != ModelOutput.Probabilities)
        {
            return scores;
        }

        // Kept alive across the call: TorchSharp does not keep an implicit Scalar's handle alive (docs/torchsharp-scalars.md).
        using Scalar smallest = float.Epsilon.ToScalar();
        return scores.clamp_min(smallest).log_();
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            session.Dispose();
        }

        base.Dispose(disposing);
    }
}
