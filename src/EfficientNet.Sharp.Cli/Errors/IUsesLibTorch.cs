namespace EfficientNet.Sharp.Cli.Errors;

/// <summary>
/// Marks the settings of a command that runs TorchSharp: before it starts, <see cref="LibTorchCheck"/>
/// makes sure libtorch loads, so a missing C++ runtime is reported once, clearly, and before TorchSharp
/// prints its own trace or copies its fallback libraries.
/// </summary>
internal interface IUsesLibTorch
{
    /// <summary>Whether these settings need libtorch (<c>classify --onnx</c> runs ONNX Runtime alone).</summary>
    bool NeedsLibTorch => true;
}
