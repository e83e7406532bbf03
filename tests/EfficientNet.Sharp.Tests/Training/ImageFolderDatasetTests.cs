using EfficientNet.Sharp.Data;

namespace EfficientNet.Sharp.Tests.Training;

/// <summary>The image-folder dataset: classes from sub-folders, labels, decoding and its errors.</summary>
public class ImageFolderDatasetTests
{
    [Test]
    public void ClassesAreSubFoldersInOrdinalOrder_ImagesAreDecodedToRgb()
    {
        using var folder = new TempFolder();
        ImageFolders.WriteColourSquares(folder.Path, ["red", "blue"], imagesPerClass: 3, size: 20);
        File.WriteAllText(Path.Combine(folder.Path, "red", "notes.txt"), "not an image");

        ImageFolderDataset dataset = ImageFolderDataset.Load(folder.Path);

        Assert.That(dataset.ClassNames, Is.EqualTo(new[] { "blue", "red" }));
        Assert.That(dataset.Count, Is.EqualTo(6), "the text file is not an image");
        Assert.That(Enumerable.Range(0, 6).Select(dataset.GetLabel), Is.EqualTo(new[] { 0, 0, 0, 1, 1, 1 }));
        Assert.That(dataset.GetPath(3), Does.EndWith(Path.Combine("red", "000.png")));
        RawImage image = dataset.GetImage(3);
        Assert.That((image.Width, image.Height, image.Channels), Is.EqualTo((20, 20, 3)));

        // Somewhere in a red image is a pure red pixel.
        bool hasRed = Enumerable.Range(0, 400).Any(p => image.Pixels[3 * p] == 255 && image.Pixels[(3 * p) + 1] == 0 && image.Pixels[(3 * p) + 2] == 0);
        Assert.That(hasRed, Is.True);
    }

    [Test]
    public void ValidationFolder_UsesTheTrainingLabels_AndRefusesAnUnknownClass()
    {
        using var folder = new TempFolder();
        ImageFolders.WriteColourSquares(Path.Combine(folder.Path, "val"), ["red"], imagesPerClass: 2);
        ImageFolders.WriteColourSquares(Path.Combine(folder.Path, "odd"), ["green"], imagesPerClass: 1);

        ImageFolderDataset validation = ImageFolderDataset.Load(Path.Combine(folder.Path, "val"), ["blue", "red"]);
        var error = Assert.Throws<InvalidDataException>(() => ImageFolderDataset.Load(Path.Combine(folder.Path, "odd"), ["blue", "red"]));

        Assert.That(validation.ClassNames, Is.EqualTo(new[] { "blue", "red" }));
        Assert.That(validation.GetLabel(0), Is.EqualTo(1));
        Assert.That(error!.Message, Does.Contain("green").And.Contain("not one of the 2 expected classes"));
        Assert.That(() => ImageFolderDataset.Load(Path.Combine(folder.Path, "val"), ["red", "red"]), Throws.ArgumentException.With.Message.Contain("red appear more than once"));
    }

    [Test]
    public void EmptyOrMissingFolders_AreRefusedClearly()
    {
        using var folder = new TempFolder();
        Directory.CreateDirectory(Path.Combine(folder.Path, "empty", "cats"));

        Assert.That(() => ImageFolderDataset.Load(Path.Combine(folder.Path, "missing")), Throws.TypeOf<DirectoryNotFoundException>().With.Message.Contain("missing"));
        Assert.That(() => ImageFolderDataset.Load(folder.File("empty/cats")), Throws.TypeOf<InvalidDataException>().With.Message.Contain("no class sub-folders"));
        Assert.That(() => ImageFolderDataset.Load(folder.File("empty")), Throws.TypeOf<InvalidDataException>().With.Message.Contain("no images"));
    }

    [Test]
    public void UndecodableImage_NamesItsFile_WhenABatchReadsIt()
    {
        using var folder = new TempFolder();
        ImageFolders.WriteColourSquares(folder.Path, ["a"], imagesPerClass: 2);
        string broken = Path.Combine(folder.Path, "a", "001.png");
        File.WriteAllBytes(broken, File.ReadAllBytes(broken)[..40]);
        ImageFolderDataset dataset = ImageFolderDataset.Load(folder.Path);
        var batches = new ImageBatches(dataset, new ImageTransform { Resolution = 8 }, batchSize: 2, shuffle: false);

        var error = Assert.Throws<InvalidDataException>(() => batches.Epoch(0).First().Dispose());

        Assert.That(error!.Message, Does.Contain(broken));
    }
}
