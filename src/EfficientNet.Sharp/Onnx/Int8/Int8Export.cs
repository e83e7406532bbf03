using EfficientNet.Sharp.Data;
using EfficientNet.Sharp.Inference;
using EfficientNet.Sharp.Models;
using EfficientNet.Sharp.Onnx.Protobuf;
using EfficientNet.Sharp.Onnx.Quantization;
using EfficientNet.Sharp.Specs;

namespace EfficientNet.Sharp.Onnx.Int8;

/// <summary>
/// Post-training int8 quantization of float networks, written as QDQ ONNX: calibration images run through the float
/// graph in ONNX Runtime, each activation's range is chosen from what they produced, and the file is compared with the
/// float file on held-out images before it is written.
/// </summary>
public static class Int8Export
{
    /// <summary>
    /// Writes the network as an int8 ONNX file (QDQ): 8-bit weights per output channel (<see cref="Int8Calibration.Weights"/>), uint8 activations with ranges
    /// calibrated on <see cref="Int8Calibration.Images"/>, float where int8 is known to hurt unless
    /// <see cref="Int8Calibration.FullInteger"/>. The input stays float NCHW with the float export's name, shape and
    /// preprocessing metadata, so <c>OnnxClassifier</c> runs it unchanged.
    /// </summary>
    /// <param name="network">The float network (built, loaded, trained or imported).</param>
    /// <param name="path">The file to write, atomically; nothing is written when the agreement check refuses it.</param>
    /// <param name="calibration">The images and method.</param>
    /// <param name="options">How to write the file; <see cref="OnnxExportOptions.Default"/> when omitted. Backbone exports (feature levels) are not quantized.</param>
    /// <param name="progress">Receives the stage and images done.</param>
    /// <param name="cancellationToken">Checked between batches.</param>
    /// <returns>The file and how closely it follows the float file.</returns>
    /// <exception cref="ArgumentException">The calibration images are none or cannot be prepared for this network, no preprocessing is known, a count is out of range, or an option is invalid.</exception>
    /// <exception cref="Int8AgreementException">The int8 file disagrees with the float file on more held-out images than <see cref="Int8Calibration.MaxAgreementDrop"/> allows; nothing was written.</exception>
    /// <exception cref="InvalidDataException">The float network produces non-finite activations on the calibration images.</exception>
    /// <exception cref="IOException">The file cannot be written; nothing is left behind.</exception>
    public static Int8ExportReport ExportInt8Onnx(this ConvNetwork network, string path, Int8Calibration calibration, OnnxExportOptions? options = null, IProgress<CalibrationProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentNullException.ThrowIfNull(calibration);
        network.ThrowIfDisposed();
        options ??= OnnxExportOptions.Default;
        if (options.FeatureLevels is not null)
        {
            throw new ArgumentException("A backbone export (FeatureLevels) cannot be quantized: int8 export writes classifiers and pooled-feature extractors.", nameof(options));
        }

        ImageTransform transform = TransformFor(calibration, network);
        (ImageDataset calibrationImages, ImageDataset? heldOut) = Split(calibration);
        if (calibration.MaxAgreementDrop is not null && heldOut is null)
        {
            throw new ArgumentException($"'{calibration.Images.Source}' has {calibration.Images.Count} images, all used for calibration: none is left to check MaxAgreementDrop on. Lower ImageCount.", nameof(calibration));
        }

        // The arguments are checked before the weights are copied out of the network.
        (StateDictWeights weights, options) = OnnxExport.Prepare(network, options);
        NetworkSpec spec = network.Spec;

        (ModelProto probe, _) = OnnxModel.Build(spec, weights, options, exposePoints: true);
        OnnxExport.ThrowIfUnread(network, weights, options);
        var statistics = new Dictionary<string, ActivationStatistics>(StringComparer.Ordinal);
        Dictionary<string, string> pointOf = OnnxModel.ProbeOutputs(probe).ToDictionary(p => p.Output, p => p.Point, StringComparer.Ordinal);
        pointOf[options.InputName] = QuantizationPoints.Input;
        // The class scores are what the caller reads: rounding them to 256 levels adds noise and saves nothing.
        string outputPoint = CalibratedPlan.OutputPoint(spec);
        IReadOnlyDictionary<string, string> floatPoints = calibration.FullInteger ? new Dictionary<string, string>() : CalibratedPlan.FloatByDefault(spec);
        using (var runner = new OrtBatchRunner(probe))
        {
            void Observe(bool histogram, string output, ReadOnlySpan<float> values)
            {
                if (!pointOf.TryGetValue(output, out string? point) || floatPoints.ContainsKey(point) || point == outputPoint)
                {
                    return;
                }

                ActivationStatistics stats = statistics.TryGetValue(point, out ActivationStatistics? known) ? known : statistics[point] = new ActivationStatistics();
                if (histogram)
                {
                    stats.ObserveHistogram(values);
                }
                else
                {
                    stats.ObserveExtremes(values);
                }
            }

            runner.Run(calibrationImages, transform, (output, values, _) => Observe(false, output, values), done => progress?.Report(new CalibrationProgress("ranges", done, calibrationImages.Count)), cancellationToken);
            if (calibration.Method != CalibrationMethod.MinMax)
            {
                runner.Run(calibrationImages, transform, (output, values, _) => Observe(true, output, values), done => progress?.Report(new CalibrationProgress("histograms", done, calibrationImages.Count)), cancellationToken);
            }
        }

        var activations = statistics.ToDictionary(s => s.Key, s =>
        {
            (float low, float high) = s.Value.Range(calibration.Method);
            return CalibratedPlan.Uint8(low, high);
        }, StringComparer.Ordinal);
        (ModelProto model, OnnxExportReport written) = OnnxModel.Build(spec, weights, options, CalibratedPlan.FromRanges(activations, calibration.Weights));
        (double agreement, double noise) = heldOut is null ? (double.NaN, double.NaN) : Compare(probe, model, heldOut, transform, progress, cancellationToken);
        var report = new Int8ExportReport
        {
            File = written with { Quantization = $"{WeightsDescription(calibration.Weights)} per output channel, uint8 activations calibrated ({calibration.Method}, {calibrationImages.Count} images){(floatPoints.Count > 0 ? $"; {floatPoints.Count} activations float" : "")}" },
            Method = calibration.Method,
            CalibrationImages = calibrationImages.Count,
            HeldOutImages = heldOut?.Count ?? 0,
            TopOneAgreement = agreement,
            SignalToNoiseDecibels = noise,
            QuantizedActivations = activations.Count,
            FloatActivations = [.. floatPoints.Select(p => $"{p.Key}: {p.Value}")],
        };
        if (calibration.MaxAgreementDrop is double allowed && 1 - agreement > allowed)
        {
            throw new Int8AgreementException($"The int8 file agrees with the float file's top-1 class on {agreement:P1} of {report.HeldOutImages} held-out images, a drop of {1 - agreement:P1}, over the {allowed:P1} allowed: nothing was written. Try another calibration method, more calibration images, or keep more layers float.", report);
        }

        cancellationToken.ThrowIfCancellationRequested();
        (string full, string? externalData, long bytes) = OnnxFile.Write(model, path, options.ExternalDataThresholdBytes, cancellationToken);
        return report with { File = report.File with { Path = full, ExternalDataPath = externalData, Bytes = bytes } };
    }

    private static string WeightsDescription(Int8WeightFormat format) => format switch
    {
        Int8WeightFormat.ReducedRange => "int8 weights (7-bit range)",
        Int8WeightFormat.Full => "int8 weights",
        Int8WeightFormat.Unsigned => "uint8 weights (around 128)",
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, "Unknown weight format."),
    };

    private static ImageTransform TransformFor(Int8Calibration calibration, ConvNetwork network)
    {
        EvalTransform preprocessing = calibration.Transform ?? network.Preprocessing
            ?? throw new ArgumentException($"No preprocessing is known for {network.Spec.Name}: set Int8Calibration.Transform (or the network's Preprocessing) so the calibration images are prepared as the network expects.", nameof(calibration));
        if (preprocessing.Channels != network.Spec.InputChannels)
        {
            throw new ArgumentException($"The preprocessing makes {preprocessing.Channels}-channel images; {network.Spec.Name} takes {network.Spec.InputChannels}.", nameof(calibration));
        }

        return ImageTransform.From(preprocessing);
    }

    /// <summary>A seeded sample: the first <see cref="Int8Calibration.ImageCount"/> images calibrate, the next ones (up to the held-out count) are held out.</summary>
    private static (ImageDataset Calibration, ImageDataset? HeldOut) Split(Int8Calibration calibration)
    {
        ArgumentNullException.ThrowIfNull(calibration.Images, nameof(calibration));
        ArgumentOutOfRangeException.ThrowIfLessThan(calibration.ImageCount, 1, nameof(calibration));
        ArgumentOutOfRangeException.ThrowIfNegative(calibration.HeldOutImageCount, nameof(calibration));
        if (calibration.MaxAgreementDrop is double drop && (double.IsNaN(drop) || drop is < 0 or > 1))
        {
            throw new ArgumentOutOfRangeException(nameof(calibration), drop, "MaxAgreementDrop is a fraction from 0 to 1.");
        }

        int count = calibration.Images.Count;
        if (count == 0)
        {
            throw new ArgumentException($"'{calibration.Images.Source}' has no images to calibrate with.", nameof(calibration));
        }

        int calibrating = Math.Min(calibration.ImageCount, count);
        int heldOut = Math.Min(calibration.HeldOutImageCount, count - calibrating);
        ImageDataset sample = calibration.Images.Sample(calibrating + heldOut, calibration.Seed);
        return (sample.Subset(Enumerable.Range(0, calibrating)), heldOut > 0 ? sample.Subset(Enumerable.Range(calibrating, heldOut)) : null);
    }

    /// <summary>Top-1 agreement and the output's signal-to-quantization-noise ratio of the int8 file against the float one.</summary>
    private static (double Agreement, double Decibels) Compare(ModelProto floatModel, ModelProto int8Model, ImageDataset images, ImageTransform transform, IProgress<CalibrationProgress>? progress, CancellationToken cancellationToken)
    {
        string output = floatModel.Graph.Output[0].Name;
        var floats = new List<float[]>();
        using (var reference = new OrtBatchRunner(floatModel))
        {
            reference.Run(images, transform, (name, values, _) =>
            {
                if (name == output)
                {
                    floats.Add(values.ToArray());
                }
            }, done => progress?.Report(new CalibrationProgress("comparison", done / 2, images.Count)), cancellationToken);
        }

        int agreeing = 0, batch = 0;
        double signal = 0, noise = 0;
        using (var quantized = new OrtBatchRunner(int8Model))
        {
            quantized.Run(images, transform, (name, values, size) =>
            {
                if (name != output)
                {
                    return;
                }

                float[] expected = floats[batch++];
                int classes = expected.Length / size;
                for (int i = 0; i < size; i++)
                {
                    ReadOnlySpan<float> a = expected.AsSpan(i * classes, classes), b = values.Slice(i * classes, classes);
                    agreeing += ArgMax(a) == ArgMax(b) ? 1 : 0;
                    for (int c = 0; c < classes; c++)
                    {
                        signal += (double)a[c] * a[c];
                        noise += (double)(b[c] - a[c]) * (b[c] - a[c]);
                    }
                }
            }, done => progress?.Report(new CalibrationProgress("comparison", (images.Count + done) / 2, images.Count)), cancellationToken);
        }

        return (agreeing / (double)images.Count, noise == 0 ? double.PositiveInfinity : 10 * Math.Log10(signal / noise));
    }

    private static int ArgMax(ReadOnlySpan<float> values)
    {
        int best = 0;
        for (int i = 1; i < values.Length; i++)
        {
            best = values[i] > values[best] ? i : best;
        }

        return best;
    }
}
