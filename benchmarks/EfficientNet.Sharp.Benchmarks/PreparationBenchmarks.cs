using BenchmarkDotNet.Attributes;
using EfficientNet.Sharp.Inference;
using SkiaSharp;
using TorchSharp;
using Tensor = TorchSharp.torch.Tensor;

namespace EfficientNet.Sharp.Benchmarks;

/// <summary>
/// Preparing one network input from a 12-megapixel JPEG (4000 × 3000, a phone camera's photo), both ways in one
/// run: the managed path every classifier now takes (decode, fused resize-and-crop of only the 224 × 224 pixels
/// needed, normalise) against the libtorch path it replaced (decode, the whole image as a float tensor,
/// <c>interpolate(antialias=True)</c> to 256 on the shorter side, crop, normalise).
/// </summary>
[Config(typeof(BenchmarkConfig))]
public class PreparationBenchmarks
{
    private string photo = null!;
    private EvalTransform transform = null!;

    [Params(Interpolation.Bilinear, Interpolation.Bicubic)]
    public Interpolation Interpolation { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        torch.set_num_threads(BenchmarkConfig.Threads);
        transform = EvalTransform.ImageNet(256, 224, Interpolation);
        photo = Path.Combine(Path.GetTempPath(), $"effnet-12mp-{Environment.ProcessId}.jpg");
        string source = Path.Combine(TestDataFolder(), "efficientnet-pytorch", "img.jpg");
        using SKBitmap small = SKBitmap.Decode(source) ?? throw new FileNotFoundException($"The panda photo is needed: {source}", source);
        using SKBitmap large = small.Resize(new SKImageInfo(4000, 3000), new SKSamplingOptions(SKCubicResampler.Mitchell));
        using SKData jpeg = large.Encode(SKEncodedImageFormat.Jpeg, 90);
        File.WriteAllBytes(photo, jpeg.ToArray());
    }

    /// <summary>The test data: where EFFICIENTNET_SHARP_TESTDATA points, or shared/testdata beside an ancestor of this program's folder.</summary>
    internal static string TestDataFolder()
    {
        if (Environment.GetEnvironmentVariable("EFFICIENTNET_SHARP_TESTDATA") is { Length: > 0 } configured)
        {
            return configured;
        }

        for (DirectoryInfo? folder = new(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            string candidate = Path.Combine(folder.FullName, "shared", "testdata");
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException("The test data (shared/testdata) was not found; set EFFICIENTNET_SHARP_TESTDATA.");
    }

    [GlobalCleanup]
    public void Cleanup() => File.Delete(photo);

    [Benchmark(Baseline = true)]
    public float LibTorch()
    {
        using var scope = torch.NewDisposeScope();
        Tensor image = ImagePreprocessor.LoadImage(photo);
        return TorchSharpResampling.Apply(image, transform)[0, 0, 0, 0].item<float>();
    }

    [Benchmark]
    public float Managed() => ImagePreparation.Prepare(photo, transform)[0];
}
