using EfficientNet.Sharp.Inference;
using TorchSharp;
using static TorchSharp.torch;

namespace EfficientNet.Sharp.Benchmarks;

/// <summary>
/// The independent reference for <see cref="ImagePreparation"/>: the preprocessing the library did in libtorch before
/// 0.3 (torchvision's <c>interpolate(antialias=True)</c>, then the center crop), kept here to check (tests) and time (benchmarks) the managed
/// resampler against.
/// </summary>
public static class TorchSharpResampling
{
    /// <summary>1 × 3 × crop × crop, normalised, as the old libtorch path made it from an RGB image tensor in [0, 1].</summary>
    public static Tensor Apply(Tensor image, EvalTransform transform)
    {
        using var scope = torch.NewDisposeScope();
        Tensor square = transform.Resize == ResizeMode.Stretch
            ? Resample(image, transform.CropSize, transform.CropSize, transform)
            : CenterCrop(ResizeShorterSide(image, transform), transform.CropSize);
        if (transform.TruncateToBytes)
        {
            square = square.mul(255).add(1e-3).floor().div(255);
        }

        Tensor mean = torch.tensor(transform.Mean.ToArray()).reshape(1, 3, 1, 1);
        Tensor std = torch.tensor(transform.Std.ToArray()).reshape(1, 3, 1, 1);
        return ((square - mean) / std).contiguous().MoveToOuterDisposeScope();
    }

    private static Tensor ResizeShorterSide(Tensor image, EvalTransform transform)
    {
        long height = image.shape[1], width = image.shape[2];
        (long newHeight, long newWidth) = height <= width
            ? ((long)transform.ResizeSize, (long)(transform.ResizeSize * width / (double)height))
            : ((long)(transform.ResizeSize * height / (double)width), (long)transform.ResizeSize);
        return Resample(image, newHeight, newWidth, transform);
    }

    private static Tensor Resample(Tensor image, long height, long width, EvalTransform transform)
    {
        (InterpolationMode mode, bool antialias) = transform.Interpolation switch
        {
            Interpolation.Bicubic => (InterpolationMode.Bicubic, true),
            Interpolation.BilinearHalfPixel => (InterpolationMode.Bilinear, false),
            _ => (InterpolationMode.Bilinear, true),
        };
        return nn.functional.interpolate(image.unsqueeze(0), [height, width], mode: mode, align_corners: false, antialias: antialias).clamp(0, 1);
    }

    private static Tensor CenterCrop(Tensor batch, int size)
    {
        long height = batch.shape[2], width = batch.shape[3];
        if (height < size || width < size)
        {
            long padHeight = Math.Max(0, size - height), padWidth = Math.Max(0, size - width);
            batch = nn.functional.pad(batch, [padWidth / 2, (padWidth + 1) / 2, padHeight / 2, (padHeight + 1) / 2]);
            height = batch.shape[2];
            width = batch.shape[3];
        }

        long top = (long)Math.Round((height - size) / 2.0, MidpointRounding.ToEven);
        long left = (long)Math.Round((width - size) / 2.0, MidpointRounding.ToEven);
        return batch.narrow(2, top, size).narrow(3, left, size);
    }
}
