namespace EfficientNet.Sharp.Weights;

/// <summary>Who publishes a checkpoint, which decides its default download address.</summary>
public enum WeightSource
{
    /// <summary>torchvision's model zoo.</summary>
    Torchvision,

    /// <summary>lukemelas' EfficientNet-PyTorch releases (TensorFlow checkpoints ported to PyTorch).</summary>
    Lukemelas,

    /// <summary>A file described by the caller (for example a private mirror or a fine-tuned model).</summary>
    Custom,
}
