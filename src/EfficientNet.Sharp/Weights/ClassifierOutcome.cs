namespace EfficientNet.Sharp.Weights;

/// <summary>What a weight load did with the network's classifier.</summary>
public enum ClassifierOutcome
{
    /// <summary>The classifier holds the checkpoint's weights.</summary>
    Loaded,

    /// <summary>The checkpoint's classifier has another number of classes, so the network kept its new, random classifier (<see cref="WeightLoadOptions.KeepNewClassifier"/>).</summary>
    Replaced,

    /// <summary>The network has no classifier (a headless feature extractor).</summary>
    None,

    /// <summary>A non-strict load left the classifier (or part of it) as it was: see <see cref="WeightLoadReport.Skipped"/>.</summary>
    NotLoaded,
}
