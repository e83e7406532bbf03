using EfficientNet.Sharp.Inference;
using SkiaSharp;

namespace EfficientNet.Sharp.Data;

/// <summary>
/// Images in one sub-folder per class, as torchvision's <c>ImageFolder</c> reads them: the class names are the
/// sub-folder names in ordinal order, and each class's images are its image files (PNG, JPEG, BMP, GIF, WebP)
/// in ordinal order. Images are decoded to RGB when read.
/// </summary>
public sealed class ImageFolderDataset : ImageDataset
{
    /// <summary>The file extensions read as images (case does not matter).</summary>
    public static IReadOnlyList<string> Extensions { get; } = [".png", ".jpg", ".jpeg", ".bmp", ".gif", ".webp"];

    private readonly (string Path, int Label)[] files;
    private readonly ImageLimits limits;

    private ImageFolderDataset(string root, IReadOnlyList<string> classNames, (string Path, int Label)[] files, ImageLimits limits)
    {
        Source = root;
        ClassNames = classNames;
        this.files = files;
        this.limits = limits;
    }

    /// <inheritdoc />
    public override string Source { get; }

    /// <inheritdoc />
    public override int Count => files.Length;

    /// <inheritdoc />
    public override IReadOnlyList<string> ClassNames { get; }

    /// <inheritdoc />
    public override int Channels => 3;

    /// <summary>Lists the classes and images under <paramref name="root"/> (nothing is decoded yet).</summary>
    /// <param name="root">A folder with one sub-folder per class.</param>
    /// <param name="classNames">
    /// The classes to expect, in label order (for a validation folder that must use the training folder's
    /// labels); a sub-folder not named here is an error, and a class with no sub-folder has no images. Default: the sub-folders found.
    /// </param>
    /// <param name="limits">The largest image accepted; <see cref="ImageLimits.Default"/> when omitted.</param>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    /// <exception cref="InvalidDataException">It has no class sub-folders or no images, or a sub-folder is not one of <paramref name="classNames"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="classNames"/> names a class twice.</exception>
    public static ImageFolderDataset Load(string root, IReadOnlyList<string>? classNames = null, ImageLimits? limits = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(root);
        if (!Directory.Exists(root))
        {
            throw new DirectoryNotFoundException($"Image folder '{root}' does not exist.");
        }

        string[] folders = Directory.GetDirectories(root).Order(StringComparer.Ordinal).ToArray();
        if (folders.Length == 0)
        {
            throw new InvalidDataException($"'{root}' has no class sub-folders: put each class's images in a folder named after the class.");
        }

        IReadOnlyList<string> names = classNames ?? folders.Select(Path.GetFileName).ToArray()!;
        if (names.Distinct(StringComparer.Ordinal).Count() != names.Count)
        {
            throw new ArgumentException($"Class names must be distinct: {string.Join(", ", names.GroupBy(n => n, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => g.Key))} appear more than once.", nameof(classNames));
        }

        var labelOf = names.Select((name, label) => (name, label)).ToDictionary(pair => pair.name, pair => pair.label, StringComparer.Ordinal);
        var files = new List<(string Path, int Label)>();
        foreach (string folder in folders)
        {
            string name = Path.GetFileName(folder);
            if (!labelOf.TryGetValue(name, out int label))
            {
                throw new InvalidDataException($"'{folder}' is not one of the {names.Count} expected classes ({string.Join(", ", names.Take(10))}{(names.Count > 10 ? ", …" : "")}).");
            }

            files.AddRange(Directory.EnumerateFiles(folder)
                .Where(file => Extensions.Contains(Path.GetExtension(file), StringComparer.OrdinalIgnoreCase))
                .Order(StringComparer.Ordinal)
                .Select(file => (file, label)));
        }

        if (files.Count == 0)
        {
            throw new InvalidDataException($"'{root}' has class folders but no images ({string.Join(", ", Extensions)}).");
        }

        return new ImageFolderDataset(root, names, files.ToArray(), limits ?? ImageLimits.Default);
    }

    /// <summary>The file of image <paramref name="index"/>.</summary>
    public string GetPath(int index)
    {
        CheckIndex(index);
        return files[index].Path;
    }

    /// <inheritdoc />
    public override int GetLabel(int index)
    {
        CheckIndex(index);
        return files[index].Label;
    }

    /// <inheritdoc />
    public override RawImage GetImage(int index)
    {
        CheckIndex(index);
        using SKBitmap rgba = ImageFile.DecodeRgba(files[index].Path, limits);
        byte[] source = rgba.Bytes;
        int pixels = rgba.Width * rgba.Height;
        byte[] rgb = new byte[pixels * 3];
        for (int i = 0; i < pixels; i++)
        {
            rgb[3 * i] = source[4 * i];
            rgb[(3 * i) + 1] = source[(4 * i) + 1];
            rgb[(3 * i) + 2] = source[(4 * i) + 2];
        }

        return new RawImage(rgba.Width, rgba.Height, 3, rgb);
    }
}
