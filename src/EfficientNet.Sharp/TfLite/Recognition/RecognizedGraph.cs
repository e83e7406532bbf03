using EfficientNet.Sharp.TfLite.Reading;

namespace EfficientNet.Sharp.TfLite.Recognition;

/// <summary>The file's graph read as optional normalisation → stem → blocks → optional head → global pool → optional classifier.</summary>
/// <param name="Input">The image input tensor, NHWC.</param>
/// <param name="Normalization">The affine map the graph applies to its input before the stem, if any.</param>
/// <param name="Stem">The first convolution.</param>
/// <param name="Blocks">The blocks in order.</param>
/// <param name="Head">The 1×1 convolution before pooling (MobileNetV2, EfficientNet-Lite), if any.</param>
/// <param name="Classifier">The final fully connected layer (a 1×1 convolution or FULLY_CONNECTED in the file); <see langword="null"/> when the graph ends at the pooled features.</param>
internal sealed record RecognizedGraph(TfLiteTensor Input, TfLiteInputNormalization? Normalization, ImportedConv Stem, IReadOnlyList<ImportedBlock> Blocks, ImportedConv? Head, ImportedClassifier? Classifier)
{
    /// <summary>The globally pooled features' tensor (what the classifier reads).</summary>
    public required int Pooled { get; init; }

    /// <summary>Every convolution in forward order: the order in which a network built from the spec holds them.</summary>
    public IEnumerable<ImportedConv> Convolutions =>
        Blocks.SelectMany(b => b.Convolutions).Prepend(Stem).Concat(Head is null ? [] : [Head]);
}

/// <summary>The classifier's weights: [classes, features] (or [classes, 1, 1, features] for a 1×1 convolution) and bias.</summary>
/// <param name="Operator">The operator it came from.</param>
/// <param name="Weight">The weight tensor.</param>
/// <param name="Bias">The bias, if the operator has one.</param>
/// <param name="Features">Input features.</param>
/// <param name="Classes">Output classes.</param>
internal sealed record ImportedClassifier(TfLiteOperator Operator, TfLiteTensor Weight, TfLiteTensor? Bias, int Features, int Classes)
{
    /// <summary>The layer's output tensor, after its activation.</summary>
    public required int Output { get; init; }

    /// <summary>MobileNetV3's hidden layer before this one (with hard-swish after it), or <see langword="null"/>.</summary>
    public ImportedClassifier? Hidden { get; init; }

    /// <summary>The dense layers in forward order: the hidden one, if any, then this one.</summary>
    public IEnumerable<ImportedClassifier> Layers => Hidden is null ? [this] : [Hidden, this];
}
