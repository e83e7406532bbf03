namespace EfficientNet.Sharp.Inference.Resampling;

/// <summary>The resampling kernels: what each <see cref="Interpolation"/> uses.</summary>
internal enum ResampleFilter
{
    /// <summary>Triangle (bilinear), stretched when shrinking: antialiased bilinear.</summary>
    Triangle,

    /// <summary>Keys' cubic with a = −0.5 (PIL's bicubic), stretched when shrinking.</summary>
    Cubic,

    /// <summary>Two-tap bilinear interpolation at half-pixel centres, never stretched (no antialiasing).</summary>
    PlainBilinear,
}
