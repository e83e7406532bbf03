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
    public void GraphEndingEarly_SaysWhatWasExpected()
    {
        (TfLiteFileWriter writer, int input, int stem) = Stem();

        var error = Assert.Throws<TfLiteImportException>(() => TfLiteImport.Load(writer.Finish([input], [stem]), "stem-only.tflite"));

        Assert.That(error!.Message, Does.Contain("ends after operator 0"));
    }
}
