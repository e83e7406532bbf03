using EfficientNet.Sharp.Models;
using EfficientNet.Sharp.OnnxRuntime;
using EfficientNet.Sharp.Profiles;
using EfficientNet.Sharp.Specs;

namespace EfficientNet.Sharp.Tests.Profiles;

/// <summary>
/// Float pointwise and dense convolutions that ONNX Runtime runs in its plain layout (input channels off the blocked
/// layout's multiple, as MobileNetV1's truncated widths give): a float profile designs, records and reads them as the
/// unaligned variant (<see cref="ChannelAlignment.PlainMultiple"/>). Checked against ONNX Runtime's own choice of layout
/// and against synthetic profiles whose plain kernels follow a known law.
/// </summary>
public class PlainLayoutTests
{
    private const int Multiple = 4, Block = 16;

    private static IReadOnlyList<KernelShape> FloatDesign => KernelSuite.Design(Multiple, int8: false, blockedLayoutChannelMultiple: Multiple, blockedLayoutBlock: Block);

    private static NetworkSpec Spec(string model, double width, int resolution) =>
        ModelRegistry.Get(model).BuildSpec(new ModelOverrides { Width = width, Resolution = resolution });

    /// <summary>A float profile of the split design whose plain-layout kernels cost <paramref name="plainFactor"/> times the power law.</summary>
    private static DeviceProfile Split(double plainFactor)
    {
        DeviceProfile bare = SyntheticProfiles.PowerLaw(Multiple);
        return bare with
        {
            BlockedLayoutChannelMultiple = Multiple,
            BlockedLayoutBlock = Block,
            Kernels = [bare.Kernels[0], .. FloatDesign.Select(shape =>
            {
                double law = SyntheticProfiles.PowerLaw(shape) * (KernelGrid.IsUnalignedPointwiseOrDense(shape) ? plainFactor : 1);
                return new KernelMeasurement(shape, law, 0.01 * law, 20);
            })],
        };
    }

    [Test]
    public void TheFloatSuite_DesignsPlainConvolutions_OffTheBlockedMultipleOnly()
    {
        KernelShape[] plain = [.. FloatDesign.Where(KernelGrid.IsUnalignedPointwiseOrDense)];
        KernelShape[] blocked = [.. FloatDesign.Where(shape => shape.Kind is KernelKind.PointwiseConvolution or KernelKind.DenseConvolution && !KernelGrid.IsUnalignedPointwiseOrDense(shape))];

        Assert.That(plain, Is.Not.Empty);
        Assert.That(plain, Has.All.Matches<KernelShape>(shape => shape.RunsUnblocked(Multiple, Block) && shape.InChannels > Block));
        Assert.That(blocked, Has.All.Matches<KernelShape>(shape => shape.RunsBlocked(Multiple, Block)));
        Assert.That(blocked, Has.Some.Matches<KernelShape>(shape => shape.InChannels < Block && shape.InChannels % Multiple != 0), "counts below the block are blocked");
        Assert.That(KernelSuite.Design(Multiple).Where(KernelGrid.IsUnalignedPointwiseOrDense), Is.Empty, "the public design does not split");
        Assert.That(KernelSuite.Design(16, int8: true, blockedLayoutChannelMultiple: Multiple, blockedLayoutBlock: Block), Is.EqualTo(KernelSuite.Design(16, int8: true)), "an int8 design splits by its own multiple");
    }

    /// <summary>
    /// Every MobileNetV1 in the design range interpolates its plain-layout convolutions between plain kernels: none is
    /// extrapolated, and the stem (3 input channels, which the runtime blocks) stays with the blocked ones, as does a first
    /// pointwise convolution reading fewer channels than the block (14 at 0.45).
    /// </summary>
    [TestCase(0.35, 96)]
    [TestCase(0.45, 130)]
    [TestCase(0.83, 203)]
    [TestCase(1.17, 126)]
    [TestCase(1.4, 320)]
    public void MobileNetV1InTheDesignRange_ReadsItsPlainConvolutionsFromPlainKernels(double width, int resolution)
    {
        LatencyPrediction prediction = new LatencyPredictor(Split(2)).Predict(Spec("mobilenet_v1", width, resolution));
        KernelPrediction[] convolutions = [.. prediction.Kernels.Where(kernel => kernel.Shape.Kind is KernelKind.PointwiseConvolution or KernelKind.DenseConvolution)];

        Assert.That(prediction.Extrapolated, Is.Empty);
        Assert.That(convolutions.Count(kernel => kernel.Shape.RunsUnblocked(Multiple, Block)), Is.GreaterThan(0), "the width truncates some counts off the multiple");
        Assert.That(convolutions.Where(kernel => kernel.Shape.Kind == KernelKind.DenseConvolution), Has.All.Matches<KernelPrediction>(kernel => kernel.Shape.RunsBlocked(Multiple, Block)));
    }

    /// <summary>
    /// With plain kernels at twice the law, a plain convolution is predicted at exactly twice what it is from a profile
    /// whose plain kernels follow the law, a blocked one alike; a float profile from before the split reads plain
    /// convolutions from the blocked kernels, as it did.
    /// </summary>
    [Test]
    public void APlainConvolution_IsPredictedFromThePlainKernels()
    {
        NetworkSpec v1 = Spec("mobilenet_v1", 0.83, 160);
        KernelPrediction[] even = [.. new LatencyPredictor(Split(1)).Predict(v1).Kernels];
        KernelPrediction[] slowPlain = [.. new LatencyPredictor(Split(2)).Predict(v1).Kernels];
        DeviceProfile older = SyntheticProfiles.PowerLaw(Multiple) with { BlockedLayoutChannelMultiple = Multiple, BlockedLayoutBlock = Block };
        KernelPrediction[] beforeSplit = [.. new LatencyPredictor(older).Predict(v1).Kernels];

        Assert.That(even.Count(kernel => kernel.Shape.Kind == KernelKind.PointwiseConvolution && kernel.Shape.RunsUnblocked(Multiple, Block)), Is.InRange(1, even.Length - 1));
        foreach ((KernelPrediction law, KernelPrediction slow) in even.Zip(slowPlain))
        {
            bool plain = law.Shape.Kind is KernelKind.PointwiseConvolution or KernelKind.DenseConvolution && law.Shape.RunsUnblocked(Multiple, Block);
            Assert.That(slow.Milliseconds / law.Milliseconds, Is.EqualTo(plain ? 2 : 1).Within(1e-9).Percent, law.Shape.ToString());
        }

        Assert.That(beforeSplit.Where(kernel => kernel.Shape.Kind == KernelKind.PointwiseConvolution), Has.None.Matches<KernelPrediction>(kernel => kernel.Extrapolated));
        Assert.That(beforeSplit.Sum(kernel => kernel.Milliseconds), Is.LessThan(slowPlain.Sum(kernel => kernel.Milliseconds)));
    }

    /// <summary>
    /// The rule against ONNX Runtime on this machine: kernels the float suite designs as plain run in no blocked-layout
    /// operator, the blocked ones in one (every 10th of each, and every blocked one below the block off the multiple,
    /// optimised as the profiler would time them).
    /// </summary>
    [Test]
    public void ThePlainKernels_RunUnblockedInOnnxRuntime()
    {
        int multiple = new DeviceProfiler(threads: 1).BlockedLayoutChannelMultiple();
        Assume.That(multiple, Is.GreaterThan(1), "a runtime without a blocked layout, or one that blocks every count");
        int block = DeviceProfiler.BlockedLayoutBlock();
        IReadOnlyList<KernelShape> design = KernelSuite.Design(multiple, int8: false, blockedLayoutChannelMultiple: multiple, blockedLayoutBlock: block);
        KernelShape[] pointwise = [.. design.Where(shape => shape.Kind is KernelKind.PointwiseConvolution or KernelKind.DenseConvolution)];
        KernelShape[] plain = [.. pointwise.Where(KernelGrid.IsUnalignedPointwiseOrDense).Where((_, i) => i % 10 == 0)];
        KernelShape[] blocked = [.. pointwise.Where(shape => !KernelGrid.IsUnalignedPointwiseOrDense(shape)).Where((shape, i) => i % 10 == 0 || (shape.InChannels < block && shape.InChannels % multiple != 0))];

        Assert.That(plain, Is.Not.Empty);
        Assert.That(plain, Has.None.Matches<KernelShape>(shape => DeviceProfiler.RunsBlocked(KernelGraph.Build(shape))));
        Assert.That(blocked, Has.All.Matches<KernelShape>(shape => DeviceProfiler.RunsBlocked(KernelGraph.Build(shape))));
    }

    /// <summary>The profiler records a plain convolution it is asked to time as the unaligned variant, a blocked one as it is.</summary>
    [Test]
    public void TheProfiler_RecordsPlainConvolutionsAsTheUnalignedVariant()
    {
        var profiler = new DeviceProfiler(threads: 1, runMilliseconds: 2);
        int multiple = profiler.BlockedLayoutChannelMultiple();
        Assume.That(multiple, Is.GreaterThan(1), "a runtime without a blocked layout, or one that blocks every count");
        var plain = new KernelShape(KernelKind.PointwiseConvolution, (8 * multiple) + 1, 64, 7, 1, 1, "");
        var blocked = plain with { InChannels = 8 * multiple };

        DeviceProfile profile = profiler.MeasureKernels([plain, blocked], null, CancellationToken.None);

        Assert.That(profile.Kernels.Select(kernel => kernel.Shape), Does.Contain(plain with { Variant = KernelGrid.Unaligned }).And.Contain(blocked));
        Assert.That(profile.BlockedLayoutChannelMultiple, Is.EqualTo(multiple));
        Assert.That(DeviceProfiler.TimesAsAsked(profile, [plain, blocked]).Keys, Is.EquivalentTo(new[] { plain, blocked }), "each kernel is found as asked");
    }
}
