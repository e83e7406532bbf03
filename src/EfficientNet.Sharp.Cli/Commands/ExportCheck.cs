using System.Globalization;
using EfficientNet.Sharp.Models;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using TorchSharp;
using Tensor = TorchSharp.torch.Tensor;

namespace EfficientNet.Sharp.Cli.Commands;

/// <summary>
/// The check <c>effnet export</c> makes of every file it writes: the file in ONNX Runtime against the network in
/// TorchSharp on one random image (batch 1, so the check needs no more memory than one inference in each). The
/// tolerance is relative to the output's own size, with no absolute floor: an untrained network's outputs can be
/// as small as 1e-14, and a floor of 1e-6 would pass any file.
/// </summary>
internal sealed record ExportCheck(float Difference, float Scale)
{
    /// <summary>Largest difference allowed, as a fraction of the largest output.</summary>
    public const float RelativeTolerance = 1e-4f;

    /// <summary>Whether the file computes what the network does.</summary>
    public bool Passed => Scale > 0 ? Difference <= RelativeTolerance * Scale : Difference == 0;

    /// <summary>Runs the file and the network on the same seeded random image.</summary>
    public static ExportCheck Run(ConvNetwork network, string path, bool softmax)
    {
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        int size = network.Spec.Resolution;
        Tensor input = torch.randn([1, network.Spec.InputChannels, size, size], generator: new torch.Generator(2026));
        Tensor expected = network.call(input);
        if (softmax)
        {
            expected = torch.nn.functional.softmax(expected, 1);
        }

        using var options = new SessionOptions { LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL };
        using var session = new InferenceSession(path, options);
        var tensor = new DenseTensor<float>(input.data<float>().ToArray(), [.. input.shape.Select(d => (int)d)]);
        using IDisposableReadOnlyCollection<DisposableNamedOnnxValue> results = session.Run([NamedOnnxValue.CreateFromTensor(session.InputMetadata.Keys.Single(), tensor)]);
        Tensor actual = torch.tensor(results.First().AsEnumerable<float>().ToArray(), expected.shape);
        return new ExportCheck((actual - expected).abs().max().item<float>(), expected.abs().max().item<float>());
    }

    /// <summary>Throws when the file does not compute what the network does.</summary>
    /// <exception cref="InvalidOperationException">The difference is over the tolerance: an exporter bug.</exception>
    public void ThrowIfFailed()
    {
        if (!Passed)
        {
            throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture, $"The exported file's outputs differ from TorchSharp's by {Difference:g3}, over {RelativeTolerance:g1} × the largest output {Scale:g3}: this is a bug in the exporter; please report it with the command line."));
        }
    }

    /// <inheritdoc />
    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"ONNX Runtime against TorchSharp on a random image: max |difference| {Difference:g3}, {(Scale > 0 ? Difference / Scale : 0):g2} of the largest output {Scale:g3} (allowed {RelativeTolerance:g1})");
}
