using EfficientNet.Sharp.Scaling;
using EfficientNet.Sharp.Specs;

namespace EfficientNet.Sharp.Benchmarks;

/// <summary>The whole networks benchmarked, each at its native resolution.</summary>
public enum ModelKind
{
    MobileNetV1,
    MobileNetV2,
    B0,
    B1,
    B2,
    B3,
}

public static class ModelKinds
{
    public static NetworkSpec Spec(this ModelKind kind) => kind switch
    {
        ModelKind.MobileNetV1 => new MobileNetV1Builder().WithActivation(ActivationKind.ReLU6).BuildSpec(),
        ModelKind.MobileNetV2 => new MobileNetV2Builder().BuildSpec(),
        _ => new EfficientNetBuilder().WithPhi(kind - ModelKind.B0).BuildSpec(),
    };
}
