using EfficientNet.Sharp.Inference;
using Microsoft.ML.OnnxRuntime;

namespace EfficientNet.Sharp.OnnxRuntime;

/// <summary>How an <see cref="OnnxClassifier"/> runs its model.</summary>
public sealed record OnnxClassifierOptions
{
    /// <summary>Intra-op threads of ONNX Runtime; its default (the core count) when <see langword="null"/>.</summary>
    public int? Threads { get; init; }

    /// <summary>
    /// Configures the session before it is created: the hook for execution providers
    /// (<c>o => o.AppendExecutionProvider_CUDA()</c>), graph optimisation levels, profiling.
    /// </summary>
    public Action<SessionOptions>? ConfigureSession { get; init; }

    /// <summary>The preprocessing; when <see langword="null"/>, the one the file records (metadata <c>preprocessing</c>).</summary>
    public EvalTransform? Transform { get; init; }

    /// <summary>Class names; when <see langword="null"/>, the file's (metadata <c>labels</c>), else ImageNet's for 1000 or 1001 classes.</summary>
    public IReadOnlyList<string>? Labels { get; init; }

    /// <summary>The largest images accepted, checked before decoding.</summary>
    public ImageLimits Limits { get; init; } = ImageLimits.Default;
}
