using System.Text.Json;
using System.Text.Json.Serialization;

namespace EfficientNet.Sharp.Inference;

/// <summary>
/// An <see cref="EvalTransform"/> as JSON, the form an exported ONNX file records it in (metadata property
/// <c>preprocessing</c>), so that a consumer in any language can prepare images from the file alone:
/// <c>{"resize_size":256,"crop_size":224,"interpolation":"bicubic","resize":"shorter_side_then_center_crop",
/// "mean":[…],"std":[…],"truncate_to_bytes":false,"channels":3}</c>, pixel values scaled to [0, 1] before normalising.
/// </summary>
internal static class EvalTransformJson
{
    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower, allowIntegerValues: false) },
    };

    /// <summary>The transform as one line of JSON.</summary>
    /// <param name="transform">The transform.</param>
    /// <returns>The JSON text.</returns>
    public static string Write(EvalTransform transform)
    {
        ArgumentNullException.ThrowIfNull(transform);
        return JsonSerializer.Serialize(
            new Form(transform.ResizeSize, transform.CropSize, transform.Interpolation, transform.Resize, [.. transform.Mean], [.. transform.Std], transform.TruncateToBytes, transform.Channels),
            Options);
    }

    /// <summary>Reads a transform written by <see cref="Write"/>.</summary>
    /// <param name="json">The JSON text.</param>
    /// <returns>The transform.</returns>
    /// <exception cref="InvalidDataException">The text is not such a transform; the message says what is wrong.</exception>
    public static EvalTransform Read(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        try
        {
            Form form = JsonSerializer.Deserialize<Form>(json, Options) ?? throw new InvalidDataException("The preprocessing JSON is null.");
            var transform = new EvalTransform(form.ResizeSize, form.CropSize, form.Interpolation, form.Mean ?? [], form.Std ?? [])
            {
                Resize = form.Resize,
                TruncateToBytes = form.TruncateToBytes,
                Channels = form.Channels ?? 3,
            };
            transform.Validate();
            return transform;
        }
        catch (Exception exception) when (exception is JsonException or ArgumentException)
        {
            throw new InvalidDataException($"The preprocessing JSON is not a transform: {exception.Message}", exception);
        }
    }

    /// <summary>The JSON form; <c>channels</c> is absent (3) in files of releases before 0.3.</summary>
    private sealed record Form(int ResizeSize, int CropSize, Interpolation Interpolation, ResizeMode Resize, float[]? Mean, float[]? Std, bool TruncateToBytes, int? Channels);
}
