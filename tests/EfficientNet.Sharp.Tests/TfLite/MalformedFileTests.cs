using EfficientNet.Sharp.Models;
using EfficientNet.Sharp.Scaling;
using EfficientNet.Sharp.Specs;
using EfficientNet.Sharp.TfLite;

namespace EfficientNet.Sharp.Tests.TfLite;

public class MalformedFileTests
{
    private static byte[] SmallMobileNetV2()
    {
        NetworkSpec spec = new MobileNetV2Builder().WithWidth(0.35).WithResolution(32).WithNumClasses(4).WithPadding(PaddingMode.TensorFlowSame).BuildSpec();
        using var network = new ConvNetwork(spec);
        return NetworkToTfLite.Write(network, new TfLiteExportOptions()).Bytes;
    }

    /// <summary>A file holding the input and a 3×3 stride-2 stem convolution (ReLU6), to which a test adds operators.</summary>
    private static (TfLiteFileWriter Writer, int Input, int Stem) Stem(sbyte padding = 0)
    {
        var writer = new TfLiteFileWriter();
        int input = writer.Activation([1, 32, 32, 3], "input");
        int stem = writer.Activation([1, 16, 16, 8], "stem");
        int filter = writer.Constant([8, 3, 3, 3], new float[8 * 27], "stem/weights");
        writer.Operator(TfLiteFileWriter.Conv2D, [input, filter, -1], [stem], TfLiteFileWriter.Conv2DOptions, (0, padding), (1, 2), (2, 2), (3, (sbyte)3));
        return (writer, input, stem);
    }

    [Test]
    public void MissingFile_IsFileNotFound()
    {
        Assert.Throws<FileNotFoundException>(() => TfLiteImport.Load(Path.Combine(Path.GetTempPath(), "no-such-model.tflite")));
    }

    [TestCase(0)]
    [TestCase(7)]
    public void TooShort_SaysSo(int length)
    {
        var error = Assert.Throws<TfLiteImportException>(() => TfLiteImport.Load(new byte[length], "short.tflite"));
        Assert.That(error!.Message, Does.Contain("short.tflite").And.Contain("too short"));
    }

    [Test]
    public void RandomBytes_AreNotATfLiteModel()
    {
        byte[] bytes = new byte[4096];
        new Random(7).NextBytes(bytes);

        var error = Assert.Throws<TfLiteImportException>(() => TfLiteImport.Load(bytes, "random.bin"));
        Assert.That(error!.Message, Does.Contain("not a TFLite model").And.Contain("TFL3"));
    }

    [Test]
    public void RandomBytesWithTheIdentifier_AreDamaged()
    {
        byte[] bytes = new byte[4096];
        new Random(8).NextBytes(bytes);
        "TFL3"u8.CopyTo(bytes.AsSpan(4));

        var error = Assert.Throws<TfLiteImportException>(() => TfLiteImport.Load(bytes, "noise.tflite"));
        Assert.That(error!.Message, Does.Contain("damaged"));
    }

    [TestCase(0.9)]
    [TestCase(0.5)]
    [TestCase(0.1)]
    public void TruncatedFile_IsDamaged(double keep)
    {
        byte[] whole = SmallMobileNetV2();
        byte[] truncated = whole[..(int)(whole.Length * keep)];

        var error = Assert.Throws<TfLiteImportException>(() => TfLiteImport.Load(truncated, "truncated.tflite"));
        Assert.That(error!.Message, Does.Contain("damaged").And.Contain("truncated"));
    }

    [Test]
    public void TruncatedCoralFile_IsDamaged()
    {
        byte[] whole = File.ReadAllBytes(TestData.File("coral-test-data", "mobilenet_v1_0.25_128_quant.tflite"));

        var error = Assert.Throws<TfLiteImportException>(() => TfLiteImport.Load(whole[..(whole.Length * 2 / 3)], "mobilenet_v1_0.25_128_quant.tflite"));
        Assert.That(error!.Message, Does.Contain("damaged"));
    }

    [Test]
    public void UnsupportedOperator_IsNamedWithItsPosition()
    {
        // input → CONV_2D → LOGISTIC: a sigmoid after the stem fits none of the recognised graphs.
        (TfLiteFileWriter writer, int input, int stem) = Stem();
        int gate = writer.Activation([1, 16, 16, 8], "gate");
        writer.Operator(TfLiteFileWriter.Logistic, [stem], [gate]);

        var error = Assert.Throws<TfLiteImportException>(() => TfLiteImport.Load(writer.Finish([input], [gate]), "gate.tflite"));

        Assert.That(error!.OperatorIndex, Is.EqualTo(1));
        Assert.That(error.OperatorName, Is.EqualTo("LOGISTIC"));
        Assert.That(error.Message, Does.Contain("operator 1 (LOGISTIC)").And.Contain("gate.tflite").And.Contain("the first block after the stem"));
    }

    [Test]
    public void ValidPaddingOnAStridedKernel_IsRefused()
    {
        (TfLiteFileWriter writer, int input, int stem) = Stem(padding: 1);

        var error = Assert.Throws<TfLiteImportException>(() => TfLiteImport.Load(writer.Finish([input], [stem]), "valid.tflite"));

        Assert.That(error!.OperatorIndex, Is.Zero);
        Assert.That(error.Message, Does.Contain("Valid padding on a 3×3 convolution"));
    }

    [Test]
    public void DilatedDepthwiseConvolution_IsRefusedByName()
    {
        (TfLiteFileWriter writer, int input, int stem) = Stem();
        int output = writer.Activation([1, 16, 16, 8], "dilated");
        int filter = writer.Constant([1, 3, 3, 8], new float[72], "dilated/weights");
        writer.Operator(TfLiteFileWriter.DepthwiseConv2D, [stem, filter, -1], [output], TfLiteFileWriter.DepthwiseConv2DOptions, (1, 1), (2, 1), (3, 1), (5, 2), (6, 2));

        var error = Assert.Throws<TfLiteImportException>(() => TfLiteImport.Load(writer.Finish([input], [output]), "dilated.tflite"));

        Assert.That(error!.OperatorIndex, Is.EqualTo(1));
        Assert.That(error.Message, Does.Contain("dilation 2×2"));
    }

    [Test]
    public void GroupedConvolution_IsRefusedByName()
    {
        // A 1×1 convolution whose filter reads 4 of the stem's 8 channels: two groups, which these networks never have.
        (TfLiteFileWriter writer, int input, int stem) = Stem();
        int expanded = writer.Activation([1, 16, 16, 16], "grouped");
        int filter = writer.Constant([16, 1, 1, 4], new float[64], "grouped/weights");
        writer.Operator(TfLiteFileWriter.Conv2D, [stem, filter, -1], [expanded], TfLiteFileWriter.Conv2DOptions, (1, 1), (2, 1));
        int depthwise = writer.Activation([1, 16, 16, 16], "depthwise");
        writer.Operator(TfLiteFileWriter.DepthwiseConv2D, [expanded, writer.Constant([1, 3, 3, 16], new float[144], "depthwise/weights"), -1], [depthwise], TfLiteFileWriter.DepthwiseConv2DOptions, (1, 1), (2, 1), (3, 1));

        var error = Assert.Throws<TfLiteImportException>(() => TfLiteImport.Load(writer.Finish([input], [depthwise]), "grouped.tflite"));

        Assert.That(error!.OperatorIndex, Is.EqualTo(1));
        Assert.That(error.Message, Does.Contain("grouped convolutions are not supported"));
    }

    [Test]
    public void PadThatIsNotSame_IsRefusedByName()
    {
        // One pixel on every side before a stride-2 VALID depthwise convolution of a 16 × 16 map: SAME would pad 0 before and 1 after.
        (TfLiteFileWriter writer, int input, int stem) = Stem();
        int paddings = writer.Constant([4, 2], [0, 0, 1, 1, 1, 1, 0, 0], "paddings");
        int padded = writer.Activation([1, 18, 18, 8], "padded");
        writer.Operator(TfLiteFileWriter.Pad, [stem, paddings], [padded], TfLiteFileWriter.PadOptions);
        int output = writer.Activation([1, 8, 8, 8], "depthwise");
        int filter = writer.Constant([1, 3, 3, 8], new float[72], "depthwise/weights");
        writer.Operator(TfLiteFileWriter.DepthwiseConv2D, [padded, filter, -1], [output], TfLiteFileWriter.DepthwiseConv2DOptions, (0, (sbyte)1), (1, 2), (2, 2), (3, 1));

        var error = Assert.Throws<TfLiteImportException>(() => TfLiteImport.Load(writer.Finish([input], [output]), "pad.tflite"));

        Assert.That(error!.OperatorName, Is.EqualTo("PAD"));
        Assert.That(error.Message, Does.Contain("padding exactly as TensorFlow's SAME would"));
    }

    [Test]
    public void DetectionStyleGraphWithTwoOutputs_IsRefused()
    {
        (TfLiteFileWriter writer, int input, int stem) = Stem();
        int second = writer.Activation([1, 16, 16, 8], "boxes");
        writer.Operator(TfLiteFileWriter.Relu, [stem], [second]);

        var error = Assert.Throws<TfLiteImportException>(() => TfLiteImport.Load(writer.Finish([input], [stem, second]), "detector.tflite"));

        Assert.That(error!.Message, Does.Contain("2 outputs").And.Contain("detector.tflite"));
    }

    [Test]
    public void GraphEndingEarly_SaysWhatWasExpected()
    {
        (TfLiteFileWriter writer, int input, int stem) = Stem();

        var error = Assert.Throws<TfLiteImportException>(() => TfLiteImport.Load(writer.Finish([input], [stem]), "stem-only.tflite"));

        Assert.That(error!.Message, Does.Contain("ends after operator 0"));
    }
}
