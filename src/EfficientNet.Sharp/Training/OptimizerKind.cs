namespace EfficientNet.Sharp.Training;

/// <summary>The update rule of a <see cref="Trainer"/>.</summary>
public enum OptimizerKind
{
    /// <summary>Stochastic gradient descent with (Nesterov) momentum and L2 weight decay, as PyTorch's <c>SGD</c>.</summary>
    Sgd,

    /// <summary>Adam with decoupled weight decay, as PyTorch's <c>AdamW</c> (β = 0.9, 0.999; ε = 1e-8).</summary>
    AdamW,
}
