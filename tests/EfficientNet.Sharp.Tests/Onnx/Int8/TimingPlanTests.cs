using EfficientNet.Sharp.Onnx;
using EfficientNet.Sharp.Onnx.Protobuf;
using EfficientNet.Sharp.Onnx.Quantization;
using EfficientNet.Sharp.Specs;
using Google.Protobuf;

namespace EfficientNet.Sharp.Tests.Onnx.Int8;

/// <summary>The plan a device fit times int8 candidates with: ONNX Runtime must run them on integer kernels where the calibrated files do.</summary>
public class TimingPlanTests
{
    [Test]
    public void MobileNetV2_TimedAsInt8_RunsEveryConvolutionOnIntegerKernels()
    {
        NetworkSpec spec = NetworkPresets.MobileNetV2 with { Resolution = 96 };
        (ModelProto model, _) = OnnxModel.Build(spec, new RandomWeights(seed: 7), OnnxExportOptions.Default, CalibratedPlan.ForTiming(spec));
        using var folder = new TempFolder();
        string path = folder.File("timing.onnx");
        File.WriteAllBytes(path, model.ToByteArray());

        // The stem, 17 blocks (16 expand; all with a depthwise and a projection) and the head: 52 convolutions.
        Assert.That(CalibratedExportTests.IntegerConvolutions(path), Is.EqualTo(52));
    }

    [Test]
    public void B0_TimedAsInt8_KeepsSiLUOutputsFloat_AsTheDefaultExportDoes()
    {
        NetworkSpec spec = NetworkPresets.EfficientNetB0;
        CalibratedPlan plan = CalibratedPlan.ForTiming(spec);
        foreach (string point in CalibratedPlan.FloatByDefault(spec).Keys)
        {
            Assert.That(plan.Activation(point), Is.Null, point);
        }

        Assert.That(plan.Activation(CalibratedPlan.OutputPoint(spec)), Is.Null, "the class scores stay float");
        Assert.That(plan.Activation(QuantizationPoints.Residual(ModulePaths.Block(spec, spec.Blocks[2]))), Is.Not.Null);
    }
}
