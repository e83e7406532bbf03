namespace EfficientNet.Sharp.Weights;

/// <summary>The file formats <see cref="Checkpoint"/> reads.</summary>
public enum CheckpointFormat
{
    /// <summary><c>torch.save</c> since PyTorch 1.6: a zip archive with <c>data.pkl</c> and one entry per storage.</summary>
    PyTorchZip,

    /// <summary><c>torch.save</c> before PyTorch 1.6 (or with <c>_use_new_zipfile_serialization=False</c>): pickles followed by raw storages.</summary>
    PyTorchLegacy,

    /// <summary>Hugging Face's safetensors: a JSON header and raw tensor data.</summary>
    Safetensors,

    /// <summary>TorchSharp's own format, written by <c>Module.save</c>.</summary>
    TorchSharp,
}
