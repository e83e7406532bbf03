using EfficientNet.Sharp.Inference;
using EfficientNet.Sharp.Scaling;
using SkiaSharp;
using TorchSharp;
using static TorchSharp.torch;

namespace EfficientNet.Sharp.Tests.Inference;

public class ImagePreprocessorTests
{
    private static readonly EvalTransform Small = EvalTransform.ImageNet(32, 24, Interpolation.Bilinear);

    private static string Write(TempFolder folder, string name, SKBitmap bitmap, SKEncodedImageFormat format)
    {
        string path = folder.File(name);
        using SKData data = bitmap.Encode(format, 95);
        File.WriteAllBytes(path, data.ToArray());
        return path;
    }

    private static SKBitmap Solid(int width, int height, SKColor color)
    {
        var bitmap = new SKBitmap(width, height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        bitmap.Erase(color);
        return bitmap;
    }

    [TestCase(SKEncodedImageFormat.Png, 1e-4)]
    [TestCase(SKEncodedImageFormat.Jpeg, 0.05)]
    public void SolidImage_BecomesTheNormalisedColour(SKEncodedImageFormat format, double tolerance)
    {
        using var folder = new TempFolder();
        using SKBitmap bitmap = Solid(40, 30, new SKColor(255, 128, 0));
        string path = Write(folder, $"solid.{format}", bitmap, format);

        using Tensor input = ImagePreprocessor.Preprocess(path, Small);

        Assert.That(input.shape, Is.EqualTo(new long[] { 1, 3, 24, 24 }));
        double[] expected = [(1 - 0.485) / 0.229, ((128 / 255.0) - 0.456) / 0.224, (0 - 0.406) / 0.225];
        for (int channel = 0; channel < 3; channel++)
        {
            Assert.That(input[0, channel].mean().item<float>(), Is.EqualTo(expected[channel]).Within(tolerance), $"channel {channel}");
            Assert.That((input[0, channel].max() - input[0, channel].min()).item<float>(), Is.LessThan(tolerance * 4 + 1e-5), $"channel {channel} is flat");
        }
    }

    [Test]
    public void Image_KeepsItsOrientationThroughResizeAndCrop()
    {
        // 64 wide, 48 high: red on the left half, blue on the right. No resize (shorter side 48), a 48 crop from x = 8.
        using var folder = new TempFolder();
        using var bitmap = new SKBitmap(64, 48, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        using (var canvas = new SKCanvas(bitmap))
        {
            canvas.Clear(SKColors.Blue);
            using var red = new SKPaint { Color = SKColors.Red };
            canvas.DrawRect(0, 0, 32, 48, red);
        }

        string path = Write(folder, "halves.png", bitmap, SKEncodedImageFormat.Png);
        using var scope = torch.NewDisposeScope();
        Tensor pixels = ImagePreprocessor.LoadImage(path);
        Tensor input = ImagePreprocessor.Apply(pixels, EvalTransform.ImageNet(48, 48, Interpolation.Bicubic));

        Assert.That(pixels.shape, Is.EqualTo(new long[] { 3, 48, 64 }));
        Assert.That(pixels[0, 10, 5].item<float>(), Is.EqualTo(1f));
        Assert.That(pixels[2, 10, 60].item<float>(), Is.EqualTo(1f));
        // In the crop, column 23 is the last red one (x = 31) and column 24 the first blue one (x = 32).
        Assert.That(input[0, 0, 20, 23].item<float>(), Is.EqualTo((1 - 0.485) / 0.229).Within(1e-4));
        Assert.That(input[0, 2, 20, 24].item<float>(), Is.EqualTo((1 - 0.406) / 0.225).Within(1e-4));
    }

    [Test]
    public void TallImage_ResizesItsShorterSide()
    {
        using var scope = torch.NewDisposeScope();
        Tensor tall = torch.rand(3, 90, 30);

        Tensor input = ImagePreprocessor.Apply(tall, EvalTransform.ImageNet(20, 16, Interpolation.Bilinear));

        Assert.That(input.shape, Is.EqualTo(new long[] { 1, 3, 16, 16 }));
    }

    [Test]
    public void RealPhotos_Decode()
    {
        string panda = TestData.File("efficientnet-pytorch", "img.jpg");
        string cat = TestData.File("coral-test-data", "cat.bmp");
        using var scope = torch.NewDisposeScope();

        Tensor pandaPixels = ImagePreprocessor.LoadImage(panda);
        Tensor catPixels = ImagePreprocessor.LoadImage(cat);
        Tensor input = ImagePreprocessor.Apply(pandaPixels, EvalTransform.ImageNet(256, 224, Interpolation.Bicubic));

        Assert.That(pandaPixels.shape, Is.EqualTo(new long[] { 3, 613, 696 }));
        Assert.That(catPixels.shape, Is.EqualTo(new long[] { 3, 341, 512 }));
        Assert.That(input.shape, Is.EqualTo(new long[] { 1, 3, 224, 224 }));
        Assert.That(input.min().item<float>(), Is.GreaterThanOrEqualTo(-0.485f / 0.229f - 1e-4f));
        Assert.That(input.max().item<float>(), Is.LessThanOrEqualTo((1 - 0.406f) / 0.225f + 1e-4f));
    }

    [Test]
    public void NotAnImage_IsRejected()
    {
        using var folder = new TempFolder();
        string path = folder.File("text.png");
        File.WriteAllText(path, "not an image");

        Assert.That(() => ImagePreprocessor.LoadImage(path), Throws.InstanceOf<InvalidDataException>().With.Message.Contain("text.png"));
        Assert.That(() => ImagePreprocessor.LoadImage(folder.File("missing.png")), Throws.InstanceOf<FileNotFoundException>());
    }

    [Test]
    public void ImageNetClasses_AreTheStandardThousand()
    {
        Assert.That(ImageNetClasses.Names, Has.Count.EqualTo(1000));
        Assert.That(ImageNetClasses.Names[0], Is.EqualTo("tench"));
        Assert.That(ImageNetClasses.Names[285], Is.EqualTo("Egyptian cat"));
        Assert.That(ImageNetClasses.Names[388], Is.EqualTo("giant panda"));
        Assert.That(ImageNetClasses.Names[999], Is.EqualTo("toilet tissue"));
    }

    [Test]
    public void Classifier_ReturnsTheTopClassesWithProbabilities()
    {
        using var folder = new TempFolder();
        using SKBitmap bitmap = Solid(50, 40, new SKColor(20, 200, 90));
        string path = Write(folder, "green.png", bitmap, SKEncodedImageFormat.Png);
        using var model = new EfficientNetBuilder().WithPhi(-3).Build();
        using var classifier = new ImageClassifier(model, EvalTransform.ImageNet(64, 64, Interpolation.Bilinear));

        IReadOnlyList<Prediction> top = classifier.Classify(path, topK: 5);
        IReadOnlyList<Prediction> sameImage = classifier.ClassifyImage(bitmap, topK: 5);

        Assert.That(top, Has.Count.EqualTo(5));
        Assert.That(top.Select(p => p.Probability), Is.Ordered.Descending);
        Assert.That(top.Sum(p => p.Probability), Is.LessThanOrEqualTo(1.0001f));
        Assert.That(top.Select(p => p.Label), Is.All.Not.Empty);
        Assert.That(top[0].Label, Is.EqualTo(ImageNetClasses.Names[top[0].ClassIndex]));
        Assert.That(sameImage.Select(p => p.ClassIndex), Is.EqualTo(top.Select(p => p.ClassIndex)));
    }

    [TestCase(7, 5, 3)]
    [TestCase(3, 4, 8)]
    public void TensorFlowLiteTransform_MatchesTfLitesHalfPixelBilinearTruncatedToBytes(int width, int height, int size)
    {
        // A small image with distinct bytes, stretched to size × size; the reference is TFLite's
        // RESIZE_BILINEAR(half_pixel_centers) written out: source = (target + 0.5) · in / out − 0.5,
        // neighbours clamped to the image, then a cast to uint8 (truncation).
        using var folder = new TempFolder();
        using var bitmap = new SKBitmap(width, height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        byte Level(int x, int y, int c) => (byte)(((x * 37) + (y * 71) + (c * 13)) & 0xFF);
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                bitmap.SetPixel(x, y, new SKColor(Level(x, y, 0), Level(x, y, 1), Level(x, y, 2)));
            }
        }

        string path = Write(folder, "levels.png", bitmap, SKEncodedImageFormat.Png);
        var transform = EvalTransform.TensorFlowLite(size, [0f, 0f, 0f], [1f, 1f, 1f]);

        using Tensor input = ImagePreprocessor.Preprocess(path, transform);

        Assert.That(input.shape, Is.EqualTo(new long[] { 1, 3, size, size }));
        for (int c = 0; c < 3; c++)
        {
            for (int ty = 0; ty < size; ty++)
            {
                for (int tx = 0; tx < size; tx++)
                {
                    double sy = ((ty + 0.5) * height / size) - 0.5;
                    double sx = ((tx + 0.5) * width / size) - 0.5;
                    int y0 = Math.Max((int)Math.Floor(sy), 0), y1 = Math.Min((int)Math.Ceiling(sy), height - 1);
                    int x0 = Math.Max((int)Math.Floor(sx), 0), x1 = Math.Min((int)Math.Ceiling(sx), width - 1);
                    double dy = sy - Math.Floor(sy), dx = sx - Math.Floor(sx);
                    double top = Level(x0, y0, c) + ((Level(x1, y0, c) - Level(x0, y0, c)) * dx);
                    double bottom = Level(x0, y1, c) + ((Level(x1, y1, c) - Level(x0, y1, c)) * dx);
                    double expected = Math.Floor(top + ((bottom - top) * dy) + 1e-9);
                    Assert.That(input[0, c, ty, tx].item<float>() * 255, Is.EqualTo(expected).Within(1e-3), $"channel {c}, pixel ({tx}, {ty})");
                }
            }
        }
    }

    [Test]
    public void ImageNetClasses_ForTensorFlowsThousandAndOne_PutBackgroundFirst()
    {
        IReadOnlyList<string> labels = ImageNetClasses.ForClassCount(1001);

        Assert.That(labels, Has.Count.EqualTo(1001));
        Assert.That(labels[0], Is.EqualTo(ImageNetClasses.Background));
        Assert.That(labels[286], Is.EqualTo("Egyptian cat"));
        Assert.That(ImageNetClasses.ForClassCount(10), Is.Empty);
    }

    [Test]
    public void EvalTransform_WithBadSizesOrNormalisation_NamesTheArgument()
    {
        float[] three = [0.5f, 0.5f, 0.5f];

        Assert.That(Assert.Throws<ArgumentOutOfRangeException>(() => EvalTransform.ImageNet(0, 224, Interpolation.Bilinear))!.ParamName, Is.EqualTo("ResizeSize"));
        Assert.That(Assert.Throws<ArgumentOutOfRangeException>(() => EvalTransform.ImageNet(256, 0, Interpolation.Bilinear))!.ParamName, Is.EqualTo("CropSize"));
        Assert.That(Assert.Throws<ArgumentException>(() => EvalTransform.TensorFlowLite(224, [0.5f, 0.5f], three))!.ParamName, Is.EqualTo("Mean"));
        Assert.That(() => (EvalTransform.TensorFlowLite(224, [0.5f], three) with { Channels = 3 }).Validate(), Throws.ArgumentException.With.Message.Contain("3 mean and std values"));
        Assert.That(Assert.Throws<ArgumentException>(() => EvalTransform.TensorFlowLite(224, three, [0.5f, 0f, 0.5f]))!.ParamName, Is.EqualTo("Std"));
    }

    [Test]
    public void Classifier_WithLabelsThatDoNotMatchTheClasses_IsRefused()
    {
        using var model = new EfficientNetBuilder().WithPhi(-3).WithNumClasses(3).Build();

        var error = Assert.Throws<ArgumentException>(() => new ImageClassifier(model, EvalTransform.ImageNet(64, 64, Interpolation.Bilinear), ["a", "b"]));

        Assert.That(error!.ParamName, Is.EqualTo("labels"));
        Assert.That(error.Message, Does.Contain("2 names").And.Contain("3 classes"));
    }
}
