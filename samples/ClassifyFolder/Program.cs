using EfficientNet.Sharp.Inference;
using EfficientNet.Sharp.OnnxRuntime;

// Classifies every image of a folder with a model exported by `effnet export` (it carries its preprocessing and
// labels), eight at a time, and prints one tab-separated line per image: file, class index, label, probability.
if (args.Length != 2)
{
    Console.Error.WriteLine("usage: ClassifyFolder MODEL.onnx FOLDER");
    return 2;
}

string[] extensions = [".jpg", ".jpeg", ".png", ".bmp", ".gif", ".webp"];
string[] images = [.. Directory.EnumerateFiles(args[1])
    .Where(path => extensions.Contains(Path.GetExtension(path), StringComparer.OrdinalIgnoreCase))
    .Order(StringComparer.Ordinal)];

using var classifier = new OnnxClassifier(args[0]);
foreach (string[] batch in images.Chunk(8))
{
    IReadOnlyList<IReadOnlyList<Prediction>> results = classifier.ClassifyBatch(batch, topK: 1);
    for (int i = 0; i < batch.Length; i++)
    {
        Prediction top = results[i][0];
        Console.WriteLine($"{Path.GetFileName(batch[i])}\t{top.ClassIndex}\t{top.Label}\t{top.Probability:0.0000}");
    }
}

return 0;
