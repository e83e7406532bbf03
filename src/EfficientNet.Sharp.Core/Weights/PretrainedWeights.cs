using EfficientNet.Sharp.Inference;
using EfficientNet.Sharp.Specs;

namespace EfficientNet.Sharp.Weights;

/// <summary>
/// A published checkpoint: where to get it, how to verify it, which network it fits, how its images
/// must be preprocessed, and what it was measured to achieve.
/// </summary>
public sealed record PretrainedWeights
{
    /// <summary>The catalog name (for example <c>EfficientNet_B0.ImageNet1K_V1</c>).</summary>
    public required string Name { get; init; }

    /// <summary>Who publishes it.</summary>
    public required WeightSource Source { get; init; }

    /// <summary>The file name, also its path under the source's base address and its name in the cache: a bare file name (no folder, not rooted, no wildcards).</summary>
    /// <exception cref="ArgumentException">The name contains a folder, is rooted, is empty or <c>..</c>, or ends like the cache's own files (<c>.partial</c>, <c>.lock</c>, <c>.sha256</c>).</exception>
    public required string FileName
    {
        get => fileName;
        init
        {
            CacheFileName.Validate(value, nameof(FileName));
            fileName = value;
        }
    }

    private readonly string fileName = "";


    /// <summary>
    /// The SHA-256 of the file, as lowercase hex: all 64 digits where the publisher lists them, otherwise
    /// the prefix the file name carries (checked the way <c>torch.hub</c> checks it).
    /// </summary>
    /// <exception cref="ArgumentException">The value is not 8 to 64 hexadecimal digits: a shorter prefix (or none) would accept almost any file.</exception>
    public required string Sha256
    {
        get => sha256;
        init => sha256 = value is { Length: >= 8 and <= 64 } && value.All(char.IsAsciiHexDigit)
            ? value
            : throw new ArgumentException($"The SHA-256 '{value}' must be 8 to 64 hexadecimal digits (the whole digest or its leading digits).", nameof(Sha256));
    }

    private readonly string sha256 = "";

    /// <summary>The network the weights fit, including the BatchNorm settings and padding they need.</summary>
    public required NetworkSpec Architecture { get; init; }

    /// <summary>How the file names its tensors.</summary>
    public required KeyLayout Layout { get; init; }

    /// <summary>The preprocessing the published accuracy was measured with.</summary>
    public required EvalTransform Transform { get; init; }

    /// <summary>Published ImageNet-1k top-1 accuracy in percent, when known.</summary>
    public double? Top1Accuracy { get; init; }

    /// <summary>Published ImageNet-1k top-5 accuracy in percent, when known.</summary>
    public double? Top5Accuracy { get; init; }

    /// <summary>Published multiply-accumulates per image in billions (torchvision's "GFLOPS"), when known.</summary>
    public double? GigaFlops { get; init; }

    /// <summary>Published file size in MB, when known.</summary>
    public double? FileSizeMegabytes { get; init; }

    /// <summary>Anything a user should know about this entry (provenance of a name or a figure).</summary>
    public string? Remarks { get; init; }

    /// <summary>Whether <see cref="Sha256"/> is the full digest rather than a prefix.</summary>
    public bool HasFullSha256 => Sha256.Length == 64;

    /// <inheritdoc />
    public override string ToString() => Name;
}
