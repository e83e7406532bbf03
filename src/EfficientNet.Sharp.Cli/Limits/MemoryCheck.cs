using System.Globalization;
using EfficientNet.Sharp.Analysis;
using EfficientNet.Sharp.Specs;

namespace EfficientNet.Sharp.Cli.Limits;

/// <summary>
/// Checks a network's estimated memory against what this machine has before anything is allocated, so that a
/// batch, resolution or width too large for it is a usage error naming the option, not a process killed mid-way.
/// The estimates are the analyzer's (parameters, buffers, activations), which track measured peaks within about
/// 25 % (docs/analysis.md); a margin covers libtorch's workspaces.
/// </summary>
internal static class MemoryCheck
{
    /// <summary>Allocator overhead and convolution workspaces on top of the analyzer's tensors.</summary>
    private const double Margin = 1.25;

    /// <summary>Inference of a batch: the weights once, the activation peak, and (for an ONNX Runtime pass beside it) a second copy of both.</summary>
    public static void Inference(NetworkSpec spec, int batchSize, string options, bool withOnnxRuntime = false)
    {
        NetworkAnalysis analysis = Analyze(spec, batchSize, options);
        long bytes = analysis.EstimatedInferencePeakBytes * (withOnnxRuntime ? 2 : 1);
        Check(bytes, $"running {spec.Name} at {spec.Resolution} px on a batch of {batchSize}{(withOnnxRuntime ? " in TorchSharp and in ONNX Runtime" : "")}", options);
    }

    /// <summary>A training step: activations kept for backward, weights, gradients and two optimizer states.</summary>
    public static void Training(NetworkSpec spec, int resolution, int batchSize, string options)
    {
        NetworkAnalysis analysis = Analyze(spec with { Resolution = resolution }, batchSize, options);
        long bytes = analysis.TrainingActivationBytes + (4 * analysis.ParameterBytes) + analysis.BufferBytes;
        Check(bytes, $"training {spec.Name} at {resolution} px on batches of {batchSize}", options);
    }

    private static NetworkAnalysis Analyze(NetworkSpec spec, int batchSize, string options)
    {
        try
        {
            return NetworkAnalyzer.Analyze(spec, batchSize: batchSize);
        }
        catch (OverflowException)
        {
            throw new ArgumentException($"{spec.Name} on batches of {batchSize} needs more memory than can be counted: lower {options}.");
        }
    }

    private static void Check(long needed, string what, string options)
    {
        long available = AvailableMemory.Bytes();

        // A sum past long's range wraps to a negative count: that is far too much.
        if (needed < 0 || needed * Margin > available)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                $"{char.ToUpperInvariant(what[0])}{what[1..]} needs about {(needed < 0 ? "more than 8 EiB" : Gigabytes(needed * Margin))} of memory, but this machine has {Gigabytes(available)} available: lower {options}."));
        }
    }

    private static string Gigabytes(double bytes) => string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024.0 * 1024 * 1024):0.0} GiB");
}
