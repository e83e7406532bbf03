using EfficientNet.Sharp.Inference;

namespace EfficientNet.Sharp.Tests.Inference;

/// <summary>The preprocessing record: equal by its values, and checked however it is made.</summary>
public class EvalTransformTests
{
    [Test]
    public void Equality_ComparesMeanAndStdByValue()
    {
        EvalTransform a = EvalTransform.ImageNet(256, 224, Interpolation.Bilinear);
        EvalTransform b = a with { Mean = [.. a.Mean], Std = [.. a.Std] };

        Assert.That(b, Is.EqualTo(a));
        Assert.That(b.GetHashCode(), Is.EqualTo(a.GetHashCode()));
        Assert.That(a with { Std = [0.5f, 0.5f, 0.5f] }, Is.Not.EqualTo(a));
        Assert.That(a with { Channels = 1, Mean = [0.5f], Std = [0.5f] }, Is.Not.EqualTo(a));
    }

    [Test]
    public void With_ChecksTheValuesAsTheConstructorDoes()
    {
        EvalTransform a = EvalTransform.ImageNet(256, 224, Interpolation.Bilinear);

        Assert.That(() => a with { Mean = [0.5f, float.NaN, 0.5f] }, Throws.ArgumentException.With.Property("ParamName").EqualTo("Mean"));
        Assert.That(() => a with { Std = [0.5f, 0f, 0.5f] }, Throws.ArgumentException.With.Property("ParamName").EqualTo("Std"));
        Assert.That(() => new EvalTransform(256, 224, Interpolation.Bilinear, [0.5f, 0.5f], a.Std), Throws.ArgumentException.With.Property("ParamName").EqualTo("Mean"));
        Assert.That(() => a with { CropSize = 0 }, Throws.InstanceOf<ArgumentOutOfRangeException>().With.Property("ParamName").EqualTo("CropSize"));
        Assert.That(() => a with { ResizeSize = -1 }, Throws.InstanceOf<ArgumentOutOfRangeException>().With.Property("ParamName").EqualTo("ResizeSize"));
    }
}
