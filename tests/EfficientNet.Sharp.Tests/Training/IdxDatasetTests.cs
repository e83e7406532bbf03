using System.Buffers.Binary;
using System.IO.Compression;
using EfficientNet.Sharp.Data;

namespace EfficientNet.Sharp.Tests.Training;

/// <summary>The IDX reader on the real Fashion-MNIST files and on every kind of malformed file.</summary>
public class IdxDatasetTests
{
    [Test]
    public void RealFashionMnist_HasThePublishedSplitsAndBalancedClasses()
    {
        string folder = TestData.FashionMnistFolder();

        IdxDataset train = FashionMnist.LoadTrain(folder);
        IdxDataset test = FashionMnist.LoadTest(folder);

        // Zalando's paper: 60,000 training and 10,000 test images, 28 × 28, 6,000 and 1,000 per class.
        Assert.That(train.Count, Is.EqualTo(60_000));
        Assert.That(test.Count, Is.EqualTo(10_000));
        Assert.That(train.CountPerClass(), Is.All.EqualTo(6_000));
        Assert.That(test.CountPerClass(), Is.All.EqualTo(1_000));
        RawImage first = train.GetImage(0);
        Assert.That((first.Width, first.Height, first.Channels), Is.EqualTo((28, 28, 1)));

        // The first image of each split is an ankle boot (label 9), as every Fashion-MNIST loader shows.
        Assert.That(train.GetLabel(0), Is.EqualTo(9));
        Assert.That(test.GetLabel(0), Is.EqualTo(9));
        Assert.That(train.ClassNames[9], Is.EqualTo("Ankle boot"));

        // Real photographs of clothes on a black background: dark borders, a bright object.
        Assert.That(first.Pixels.Max(), Is.GreaterThan(200));
        Assert.That(first.Pixels[0], Is.Zero);
    }

    [Test]
    public void GzippedAndPlainFiles_ReadTheSame()
    {
        using var folder = new TempFolder();
        byte[] pixels = Enumerable.Range(0, 3 * 4 * 5).Select(i => (byte)(i * 4)).ToArray();
        File.WriteAllBytes(folder.File("images"), Images(3, 4, 5, pixels));
        File.WriteAllBytes(folder.File("labels"), Labels([2, 0, 1]));
        WriteGzip(folder.File("images.gz"), Images(3, 4, 5, pixels));
        WriteGzip(folder.File("labels.gz"), Labels([2, 0, 1]));

        IdxDataset plain = IdxDataset.Load(folder.File("images"), folder.File("labels"), ["a", "b", "c"]);
        IdxDataset gzipped = IdxDataset.Load(folder.File("images.gz"), folder.File("labels.gz"), ["a", "b", "c"]);

        Assert.That(plain.Count, Is.EqualTo(3));
        RawImage second = plain.GetImage(1);
        Assert.That((second.Width, second.Height), Is.EqualTo((5, 4)), "rows then columns in the header");
        Assert.That(second.Pixels, Is.EqualTo(pixels.Skip(20).Take(20)));
        Assert.That(gzipped.GetImage(1).Pixels, Is.EqualTo(second.Pixels));
        Assert.That(Enumerable.Range(0, 3).Select(gzipped.GetLabel), Is.EqualTo(new[] { 2, 0, 1 }));
    }

    [Test]
    public void WrongMagic_NamesTheFileAndOffsetZero()
    {
        using var folder = new TempFolder();
        byte[] images = Images(2, 2, 2, new byte[8]);
        images[2] = 0x0D; // float data, which MNIST files never hold
        File.WriteAllBytes(folder.File("images"), images);
        File.WriteAllBytes(folder.File("labels"), Labels([0, 1]));

        var error = Assert.Throws<InvalidDataException>(() => IdxDataset.Load(folder.File("images"), folder.File("labels")));

        Assert.That(error!.Message, Does.Contain(folder.File("images")).And.Contain("offset 0").And.Contain("00 00 08 03").And.Contain("00000D03"));
    }

    [Test]
    public void LabelFileGivenAsImages_IsRefusedByItsDimensionCount()
    {
        using var folder = new TempFolder();
        File.WriteAllBytes(folder.File("labels"), Labels([0, 1]));

        var error = Assert.Throws<InvalidDataException>(() => IdxDataset.Load(folder.File("labels"), folder.File("labels")));

        Assert.That(error!.Message, Does.Contain("3 dimensions").And.Contain("00000801"));
    }

    [Test]
    public void TruncatedData_SaysWhereTheDataEnds()
    {
        using var folder = new TempFolder();
        byte[] whole = Images(3, 2, 2, new byte[12]);
        File.WriteAllBytes(folder.File("images"), whole[..^5]);
        File.WriteAllBytes(folder.File("labels"), Labels([0, 1, 2]));

        var error = Assert.Throws<InvalidDataException>(() => IdxDataset.Load(folder.File("images"), folder.File("labels")));

        // 16 header bytes + 12 data bytes promised; 23 bytes present.
        Assert.That(error!.Message, Does.Contain("truncated").And.Contain("3 × 2 × 2 = 12 bytes").And.Contain("offset 16").And.Contain("ends at offset 23"));
    }

    [Test]
    public void TruncatedHeader_IsRefused()
    {
        using var folder = new TempFolder();
        File.WriteAllBytes(folder.File("images"), Images(3, 2, 2, new byte[12])[..10]);
        File.WriteAllBytes(folder.File("labels"), Labels([0, 1, 2]));

        var error = Assert.Throws<InvalidDataException>(() => IdxDataset.Load(folder.File("images"), folder.File("labels")));

        Assert.That(error!.Message, Does.Contain("inside the header").And.Contain("offset 10"));
    }

    [Test]
    public void ExtraBytes_CountsThatDoNotMatchTheFile_AreRefused()
    {
        using var folder = new TempFolder();
        File.WriteAllBytes(folder.File("images"), Images(2, 2, 2, new byte[8]));
        File.WriteAllBytes(folder.File("labels"), [.. Labels([0, 1]), 7, 7]);

        var error = Assert.Throws<InvalidDataException>(() => IdxDataset.Load(folder.File("images"), folder.File("labels")));

        Assert.That(error!.Message, Does.Contain(folder.File("labels")).And.Contain("2 more bytes follow from offset 10"));
    }

    [Test]
    public void LabelOutOfRange_NamesItsOffset()
    {
        using var folder = new TempFolder();
        File.WriteAllBytes(folder.File("images"), Images(3, 2, 2, new byte[12]));
        File.WriteAllBytes(folder.File("labels"), Labels([0, 12, 1]));

        var error = Assert.Throws<InvalidDataException>(() => IdxDataset.Load(folder.File("images"), folder.File("labels")));

        // The second label sits at byte 8 + 1 = 9.
        Assert.That(error!.Message, Does.Contain(folder.File("labels")).And.Contain("offset 9").And.Contain("label is 12").And.Contain("[0, 9]"));
    }

    [Test]
    public void ImageAndLabelCountsThatDisagree_NameBothFiles()
    {
        using var folder = new TempFolder();
        File.WriteAllBytes(folder.File("images"), Images(3, 2, 2, new byte[12]));
        File.WriteAllBytes(folder.File("labels"), Labels([0, 1]));

        var error = Assert.Throws<InvalidDataException>(() => IdxDataset.Load(folder.File("images"), folder.File("labels")));

        Assert.That(error!.Message, Does.Contain("3 images").And.Contain("2 labels").And.Contain(folder.File("images")).And.Contain(folder.File("labels")));
    }

    [Test]
    public void DamagedGzip_NamesTheFile()
    {
        using var folder = new TempFolder();
        WriteGzip(folder.File("images.gz"), Images(50, 10, 10, Enumerable.Range(0, 5000).Select(i => (byte)i).ToArray()));
        byte[] gz = File.ReadAllBytes(folder.File("images.gz"));
        File.WriteAllBytes(folder.File("images.gz"), gz[..(gz.Length / 2)]);
        File.WriteAllBytes(folder.File("labels"), Labels(new byte[50]));

        var error = Assert.Throws<InvalidDataException>(() => IdxDataset.Load(folder.File("images.gz"), folder.File("labels")));

        Assert.That(error!.Message, Does.Contain(folder.File("images.gz")));
    }

    [Test]
    public void MissingFashionMnistFolder_SaysHowToInstallIt()
    {
        var error = Assert.Throws<FileNotFoundException>(() => FashionMnist.LoadTrain("/nonexistent/fashion"));

        Assert.That(error!.Message, Does.Contain("apt-get install dataset-fashion-mnist"));
        Assert.That(FashionMnist.IsAvailable("/nonexistent/fashion"), Is.False);
    }

    internal static byte[] Images(int count, int rows, int columns, byte[] pixels)
    {
        byte[] header = new byte[16];
        header[2] = 0x08;
        header[3] = 3;
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), count);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(8), rows);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(12), columns);
        return [.. header, .. pixels];
    }

    internal static byte[] Labels(byte[] labels)
    {
        byte[] header = new byte[8];
        header[2] = 0x08;
        header[3] = 1;
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), labels.Length);
        return [.. header, .. labels];
    }

    private static void WriteGzip(string path, byte[] data)
    {
        using FileStream file = File.Create(path);
        using var gzip = new GZipStream(file, CompressionLevel.Fastest);
        gzip.Write(data);
    }
}
