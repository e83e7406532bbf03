using SkiaSharp;

namespace EfficientNet.Sharp.Tests.Training;

/// <summary>Writes small image folders for the dataset, trainer and CLI tests.</summary>
internal static class ImageFolders
{
    /// <summary>
    /// A folder per class whose images are easy to tell apart: class i is a square of its own colour on a
    /// grey background, at a random place and size, with noise.
    /// </summary>
    public static void WriteColourSquares(string root, IReadOnlyList<string> classes, int imagesPerClass, int size = 24, int seed = 0)
    {
        SKColor[] colours = [SKColors.Red, SKColors.Blue, SKColors.Lime, SKColors.Yellow, SKColors.Magenta];
        var random = new Random(seed);
        for (int c = 0; c < classes.Count; c++)
        {
            string folder = Path.Combine(root, classes[c]);
            Directory.CreateDirectory(folder);
            for (int i = 0; i < imagesPerClass; i++)
            {
                using var bitmap = new SKBitmap(size, size);
                using (var canvas = new SKCanvas(bitmap))
                {
                    canvas.Clear(new SKColor((byte)random.Next(100, 160), (byte)random.Next(100, 160), (byte)random.Next(100, 160)));
                    int side = random.Next(size / 3, size * 2 / 3);
                    int x = random.Next(0, size - side), y = random.Next(0, size - side);
                    using var paint = new SKPaint { Color = colours[c % colours.Length] };
                    canvas.DrawRect(x, y, side, side, paint);
                }

                using SKData png = bitmap.Encode(SKEncodedImageFormat.Png, 100);
                File.WriteAllBytes(Path.Combine(folder, $"{i:D3}.png"), png.ToArray());
            }
        }
    }
}
