using System.Reflection;
using EfficientNet.Sharp.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace EfficientNet.Sharp.Tests.Reliability;

/// <summary>
/// The library and the CLI never hand libtorch a Scalar that may be finalized during the call (see
/// <see cref="ScalarLifetimeScanner"/>); the scanner itself is checked on known good and bad code.
/// </summary>
public class ScalarLifetimeTests
{
    [TestCase(typeof(ConvNetwork), TestName = "Library")]
    [TestCase(typeof(EfficientNet.Sharp.Cli.EffnetApp), TestName = "CommandLineTool")]
    [TestCase(typeof(EfficientNet.Sharp.OnnxRuntime.OnnxClassifier), TestName = "OnnxRuntimePackage")]
    public void Assembly_KeepsEveryScalarAlive(Type anchor)
    {
        var scanner = new ScalarLifetimeScanner();
        string[] findings = [.. ScalarLifetimeScanner.MethodsOf(anchor.Assembly).SelectMany(scanner.Check).Distinct().Order()];

        Assert.That(findings, Is.Empty, string.Join(Environment.NewLine, findings));
    }

    [TestCase(nameof(ImplicitDivisor))]
    [TestCase(nameof(TensorPlusTensor))]
    [TestCase(nameof(InPlaceAddWithoutAlpha))]
    [TestCase(nameof(FunctionalHardtanh))]
    [TestCase(nameof(LeakyReLUModule))]
    [TestCase(nameof(ExplicitButDead))]
    public void Scanner_FlagsTemporaries(string method) => Assert.That(Check(method), Is.Not.Empty);

    [TestCase(nameof(StaticDivisor))]
    [TestCase(nameof(UsingDivisor))]
    [TestCase(nameof(InPlaceAddWithHeldAlpha))]
    [TestCase(nameof(NoScalars))]
    public void Scanner_AcceptsHeldScalars(string method) => Assert.That(Check(method), Is.Empty);

    private static string[] Check(string name) =>
        [.. new ScalarLifetimeScanner().Check(typeof(ScalarLifetimeTests).GetMethod(name, BindingFlags.NonPublic | BindingFlags.Static)!)];

    private static Tensor ImplicitDivisor(Tensor x) => x.div_(255f);

    private static Tensor TensorPlusTensor(Tensor x, Tensor y) => x + y;

    private static Tensor InPlaceAddWithoutAlpha(Tensor x, Tensor y) => x.add_(y);

    private static Tensor FunctionalHardtanh(Tensor x) => nn.functional.hardtanh(x, 0, 6, inplace: true);

    private static nn.Module<Tensor, Tensor> LeakyReLUModule() => nn.LeakyReLU(0.1);

    private static Tensor ExplicitButDead(Tensor x)
    {
        Scalar divisor = 255f.ToScalar();
        return x.div_(divisor);
    }

    private static Tensor StaticDivisor(Tensor x) => x.div_(Constants.Held);

    private static Tensor UsingDivisor(Tensor x, float value)
    {
        using Scalar divisor = value.ToScalar();
        return x.div_(divisor);
    }

    private static Tensor InPlaceAddWithHeldAlpha(Tensor x, Tensor y) => x.add_(y, Constants.Held);

    private static Tensor NoScalars(Tensor x) => x.sigmoid().mul(x).relu_();

    private static class Constants
    {
        public static readonly Scalar Held = 255f.ToScalar();
    }
}
