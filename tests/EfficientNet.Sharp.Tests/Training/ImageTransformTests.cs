using EfficientNet.Sharp.Data;
using static TorchSharp.torch;

namespace EfficientNet.Sharp.Tests.Training;

/// <summary>The training transform: the evaluation view, each augmentation, channel conversion and seeded batching.</summary>
public class ImageTransformTests
{
    private static readonly ImageTransform Plain = new() { Resolution = 6, Channels = 1, Mean = [0f], Std = [1f] };

    [Test]
    public void EvaluationView_AtTheImageSize_IsThePixelsOverByteMaximum()
    {
        RawImage image = Ramp(6, 6);

        using Tensor output = Plain.Apply(image);

        Assert.That(output.shape, Is.EqualTo(new long[] { 1, 6, 6 }));
        float[] expected = image.Pixels.Select(p => p / 255f).ToArray();
        Assert.That(output.data<float>().ToArray(), Is.EqualTo(expected).Within(1e-6f));
    }

    [Test]
    public void GreyToRgb_RepeatsTheChannel_AndNormalisesPerChannel()
    {
        RawImage image = Ramp(4, 4);
        var transform = new ImageTransform { Resolution = 4, Channels = 3, Mean = [0.1f, 0.2f, 0.3f], Std = [0.5f, 0.25f, 2f] };

        using Tensor output = transform.Apply(image);

        float[] values = output.data<float>().ToArray();
        for (int c = 0; c < 3; c++)
        {
            float[] plane = values.Skip(c * 16).Take(16).ToArray();
            float[] expected = image.Pixels.Select(p => ((p / 255f) - transform.Mean[c]) / transform.Std[c]).ToArray();
            Assert.That(plane, Is.EqualTo(expected).Within(1e-5f), $"channel {c}");
        }
    }

    [Test]
    public void RgbToGrey_UsesItu601Luma()
    {
        var image = new RawImage(1, 1, 3, [200, 100, 50]);

        using Tensor output = (Plain with { Resolution = 1 }).Apply(image);

        Assert.That(output.item<float>(), Is.EqualTo(((0.299f * 200) + (0.587f * 100) + (0.114f * 50)) / 255f).Within(1e-6f));
    }

    [Test]
    public void PadAndCrop_IsTheImageShiftedWithBlackFill_PossiblyMirrored()
    {
        RawImage image = Ramp(8, 8);
        ImageTransform transform = Plain with { Resolution = 8, Augmentation = Augmentation.PadAndCrop, PadFraction = 0.25 };
        int shifted = 0;
        for (int seed = 0; seed < 20; seed++)
        {
            using Tensor output = transform.Apply(image, new Random(seed));
            float[] values = output.data<float>().ToArray();

            // Some shift (dx, dy) in [-2, 2]² and a flip or not must explain every output pixel.
            bool explained = false;
            for (int dy = -2; dy <= 2 && !explained; dy++)
            {
                for (int dx = -2; dx <= 2 && !explained; dx++)
                {
                    foreach (bool mirror in new[] { false, true })
                    {
                        if (Enumerable.Range(0, 64).All(i => values[i] == Expected(image, i % 8, i / 8, dx, dy, mirror)))
                        {
                            explained = true;
                            shifted += dx != 0 || dy != 0 ? 1 : 0;
                            break;
                        }
                    }
                }
            }

            Assert.That(explained, Is.True, $"seed {seed}");
        }

        Assert.That(shifted, Is.GreaterThan(10), "most draws move the image");
    }

    [Test]
    public void RandomResizedCrop_IsSeeded_AndVaries()
    {
        RawImage image = Ramp(32, 24);
        ImageTransform transform = Plain with { Resolution = 16, Augmentation = Augmentation.RandomResizedCrop };

        using Tensor first = transform.Apply(image, new Random(7));
        using Tensor again = transform.Apply(image, new Random(7));
        using Tensor other = transform.Apply(image, new Random(8));

        Assert.That(Same(first, again), Is.True);
        Assert.That(Same(first, other), Is.False);
        Assert.That(first.min().item<float>(), Is.GreaterThanOrEqualTo(0f));
        Assert.That(first.max().item<float>(), Is.LessThanOrEqualTo(1f));
        Assert.That(() => transform.Apply(image), Throws.TypeOf<ArgumentNullException>().With.Message.Contain("random generator"));
    }

    [Test]
    public void InvalidFields_NameThemselves()
    {
        Assert.That(() => new ImageTransform { Resolution = 0 }.Validate(), Throws.InstanceOf<ArgumentOutOfRangeException>().With.Message.Contain("Resolution"));
        Assert.That(() => new ImageTransform { Resolution = 8, Channels = 1 }.Validate(), Throws.InstanceOf<ArgumentException>().With.Message.Contain("Mean needs 1 or 1 values, not 3"));
        Assert.That(() => new ImageTransform { Resolution = 8, Std = [1f, 0f, 1f] }.Validate(), Throws.InstanceOf<ArgumentOutOfRangeException>().With.Message.Contain("Std"));
    }

    [Test]
    public void Batches_AreFixedBySeedAndEpoch_AndCoverTheDatasetOnce()
    {
        IdxDataset dataset = SmallIdx(10);
        ImageTransform transform = Plain with { Resolution = 4, Augmentation = Augmentation.PadAndCrop };
        var batches = new ImageBatches(dataset, transform, batchSize: 4, shuffle: true, seed: 3);

        List<long> labels = Labels(batches, 0);
        List<long> again = Labels(new ImageBatches(dataset, transform, batchSize: 4, shuffle: true, seed: 3), 0);
        List<long> nextEpoch = Labels(batches, 1);

        Assert.That(batches.Count, Is.EqualTo(3));
        Assert.That(labels, Is.EquivalentTo(Enumerable.Range(0, 10).Select(i => (long)i)), "each image once");
        Assert.That(again, Is.EqualTo(labels), "same seed and epoch, same order");
        Assert.That(nextEpoch, Is.Not.EqualTo(labels), "a new epoch, a new order");
        using ImageBatch first = batches.Epoch(2).First();
        using ImageBatch repeated = new ImageBatches(dataset, transform, batchSize: 4, shuffle: true, seed: 3).Epoch(2).First();
        Assert.That(Same(first.Images, repeated.Images), Is.True, "the same random views");
        Assert.That(new ImageBatches(dataset, transform, 4, shuffle: false, dropLast: true).Count, Is.EqualTo(2));
    }

    [Test]
    public void TorchDataset_FeedsTorchSharpsDataLoader()
    {
        IdxDataset dataset = SmallIdx(5);
        using utils.data.Dataset torchDataset = dataset.ToTorchDataset(Plain with { Resolution = 3 });
        using TorchSharp.Modules.DataLoader loader = utils.data.DataLoader(torchDataset, batchSize: 2, shuffle: false);

        var labels = new List<long>();
        foreach (Dictionary<string, Tensor> batch in loader)
        {
            Assert.That(batch["data"].shape[1..], Is.EqualTo(new long[] { 1, 3, 3 }));
            labels.AddRange(batch["label"].data<long>().ToArray());
        }

        Assert.That(labels, Is.EqualTo(new long[] { 0, 1, 2, 3, 4 }));
    }

    private static bool Same(Tensor a, Tensor b) => a.shape.SequenceEqual(b.shape) && a.eq(b).all().item<bool>();

    private static List<long> Labels(ImageBatches batches, int epoch)
    {
        var labels = new List<long>();
        foreach (ImageBatch batch in batches.Epoch(epoch))
        {
            using (batch)
            {
                labels.AddRange(batch.Labels.data<long>().ToArray());
            }
        }

        return labels;
    }

    /// <summary>An IDX dataset of <paramref name="count"/> 4 × 4 images whose label is their index.</summary>
    private static IdxDataset SmallIdx(int count)
    {
        string folder = Path.Combine(Path.GetTempPath(), $"effnet-idx-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        try
        {
            File.WriteAllBytes(Path.Combine(folder, "images"), IdxDatasetTests.Images(count, 4, 4, Enumerable.Range(0, count * 16).Select(i => (byte)(i * 7)).ToArray()));
            File.WriteAllBytes(Path.Combine(folder, "labels"), IdxDatasetTests.Labels(Enumerable.Range(0, count).Select(i => (byte)i).ToArray()));
            return IdxDataset.Load(Path.Combine(folder, "images"), Path.Combine(folder, "labels"), Enumerable.Range(0, count).Select(i => $"c{i}").ToArray());
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static float Expected(RawImage image, int x, int y, int dx, int dy, bool mirror)
    {
        int column = mirror ? image.Width - 1 - x : x;
        int sx = column + dx, sy = y + dy;
        return sx < 0 || sy < 0 || sx >= image.Width || sy >= image.Height ? 0f : image.Pixels[(sy * image.Width) + sx] / 255f;
    }

    /// <summary>A grey image whose every pixel differs: 7·index mod 256.</summary>
    private static RawImage Ramp(int width, int height) =>
        new(width, height, 1, Enumerable.Range(0, width * height).Select(i => (byte)((i * 7) % 256)).ToArray());
}
