using EfficientNet.Sharp.Cli.Errors;
using EfficientNet.Sharp.Devices;
using EfficientNet.Sharp.Models;
using EfficientNet.Sharp.Models.Families;
using EfficientNet.Sharp.OnnxRuntime;
using EfficientNet.Sharp.Planning;
using EfficientNet.Sharp.Profiles;
using EfficientNet.Sharp.Scaling;
using EfficientNet.Sharp.TfLite;
using Spectre.Console;
using Spectre.Console.Cli;

namespace EfficientNet.Sharp.Cli.Commands;

/// <summary><c>effnet fit</c>: the largest EfficientNet (or, with <c>--model</c>, the largest scaling of any registered model) that meets a budget, measured on this machine.</summary>
internal sealed partial class FitCommand(IAnsiConsole console, Diagnostics diagnostics) : Command<FitCommand.Settings>
{
    /// <inheritdoc />
    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        ICostModel profiler = CostModel(settings);
        var reportingModel = new ReportingCostModel(settings.IsProfile ? profiler : new MemoryGuardedCostModel(profiler), diagnostics);
        DeviceFit fit = Configure(DeviceFit.Using(reportingModel), settings);

        // What is being done and each measurement as it completes go to stderr; stdout carries the report alone.
        diagnostics.Note(settings.IsProfile
            ? $"Fitting on {profiler.Description}: latencies are predicted from the profile; nothing is built or run."
            : $"Fitting on {profiler.Description}; each network: ≥ {settings.WarmupRuns} warm-up runs, then {settings.Runs} timed runs (median).");
        var progress = new FitProgressLine(diagnostics, settings.IsProfile ? "predicting" : "measuring");
        if (settings.Pretrained)
        {
            IEnumerable<CheckpointCandidate>? candidates = settings.TfLiteFolder is { } folder ? CatalogAndLiteFiles(folder) : null;
            PretrainedFitResult recommendation = fit.WithProgress(progress).FitPretrained(candidates, cancellationToken);
            diagnostics.EndProgress();
            WarnOfExtrapolation(reportingModel);
            if (settings.Json)
            {
                JsonOutput.Write(console, "fit", FitJson.Of(recommendation));
            }
            else
            {
                console.Write(new Text(recommendation.Report));
            }

            if (settings.Plot is { } pretrainedPlot)
            {
                PretrainedFitPlot.Save(recommendation, pretrainedPlot);
                PlotWritten(settings, pretrainedPlot);
            }

            return recommendation.Choice is null ? ExitCodes.NothingFits : ExitCodes.Success;
        }

        DeviceFit reporting = fit.WithProgress(progress);
        IReadOnlyList<FitResult> results = settings.CompareModes ? reporting.CompareModes(cancellationToken) : [reporting.Fit(cancellationToken)];
        diagnostics.EndProgress();
        WarnOfExtrapolation(reportingModel);

        // What makes the measurements doubtful goes to stderr with the measurements themselves (and into the JSON).
        foreach (string warning in results.SelectMany(r => r.TrustWarnings).Distinct())
        {
            diagnostics.Note($"warning: {warning}");
        }
        if (settings.Json)
        {
            JsonOutput.Write(console, "fit", FitJson.Of(results));
        }
        else
        {
            foreach (FitResult result in results)
            {
                FitReport.Write(console, result);
            }

            if (results.Count > 1)
            {
                FitReport.WriteComparison(console, results);
            }
        }

        if (settings.Plot is { } path)
        {
            FitPlot.Save(results, path);
            PlotWritten(settings, path);
        }

        return results.Any(r => r.Fits) ? ExitCodes.Success : ExitCodes.NothingFits;
    }

    /// <summary>Says where the plot went: after the report on stdout, or on stderr when stdout is one JSON document.</summary>
    private void PlotWritten(Settings settings, string path)
    {
        if (settings.Json)
        {
            diagnostics.Note($"Plot written to {path}.");
        }
        else
        {
            console.MarkupLineInterpolated($"Plot written to [bold]{path}[/].");
        }
    }

    /// <summary>Says, once, how far predictions with extrapolated kernels held where checked, when any candidate had some.</summary>
    private void WarnOfExtrapolation(ReportingCostModel model)
    {
        if (model.SawExtrapolation)
        {
            diagnostics.Note($"warning: some networks were predicted with kernels outside the profile's grid (marked above). {LatencyPredictor.OutsideValidation}.");
        }
    }

    /// <summary>What costs come from: a device profile's predictions, ONNX Runtime or libtorch on this machine.</summary>
    private ICostModel CostModel(Settings settings)
    {
        if (settings.IsProfile)
        {
            DeviceProfile profile = DeviceProfile.Load(settings.Device);
            if (settings.Threads is int threads && threads != profile.Device.Threads)
            {
                throw new ArgumentException($"--threads {threads}: the profile '{settings.Device}' was measured with {profile.Device.Threads} thread{(profile.Device.Threads == 1 ? "" : "s")}, and kernel times do not carry over between thread counts; measure a profile with --threads {threads} on the device.");
            }

            if (profile.Device.IsInt8)
            {
                diagnostics.Note($"warning: int8 predictions rest on a scale per family. {LatencyPredictor.Int8Validation}.");
            }

            return new ProfileCostModel(profile, Path.GetFileName(settings.Device));
        }

        ComputeDevice device = settings.Device == "cuda" ? ComputeDevice.Cuda() : ComputeDevice.Cpu(settings.Threads);
        return settings.IsOnnxRuntime
            ? new OnnxRuntimeCostModel(settings.Threads ?? Environment.ProcessorCount, settings.WarmupRuns, settings.Runs) { Int8 = settings.IsOnnxRuntimeInt8 }
            : new LatencyProfiler(device, settings.WarmupRuns, settings.Runs) { Runtime = Settings.ParseRuntime(settings.Runtime)!.Value };
    }

    /// <summary>torchvision's default checkpoints, plus each EfficientNet-Lite file of the folder at its own input size.</summary>
    private List<CheckpointCandidate> CatalogAndLiteFiles(string fileOrFolder)
    {
        string[] files = File.Exists(fileOrFolder) ? [fileOrFolder]
            : Directory.Exists(fileOrFolder) ? [.. Directory.EnumerateFiles(fileOrFolder, "*.tflite").Order(StringComparer.Ordinal)]
            : throw new FileNotFoundException($"--tflite-candidates '{fileOrFolder}' is neither a .tflite file nor a folder of them.", fileOrFolder);
        List<CheckpointCandidate> candidates = [.. CheckpointCandidate.RegistryDefaults];
        foreach (string file in files)
        {
            using TfLiteModel model = TfLiteImport.Load(file);
            if (FamilyDescriptors.Of(model.Spec.Family).PublishedTop1(model.Spec) is double top1)
            {
                candidates.Add(new CheckpointCandidate(Path.GetFileName(file), model.Spec, top1));
            }
            else
            {
                diagnostics.Note($"Skipped {Path.GetFileName(file)}: {model.Spec.Name} has no published top-1 to rank it by.");
            }
        }

        return candidates;
    }

    private static DeviceFit Configure(DeviceFit fit, Settings settings)
    {
        fit = fit.WithBatchSize(settings.Batch).SearchingPhi(settings.MinPhi, settings.MaxPhi);
        if (!settings.IsEfficientNetFamily)
        {
            // φ = 0 is the model itself; its mode defaults to compound for EfficientNet-B models, width for the others.
            fit = fit.ForModel(ModelRegistry.Get(settings.Model), new ModelOverrides { NumClasses = settings.Classes });
        }

        if (settings.Mode is { } mode)
        {
            fit = fit.Scaling(Settings.ParseMode(mode)!.Value);
        }

        if (settings.LatencyMilliseconds is double latency)
        {
            fit = fit.WithinLatency(TimeSpan.FromMilliseconds(latency), settings.Batch);
        }

        if (settings.MaxParameters is long parameters)
        {
            fit = fit.WithinParameters(parameters);
        }

        if (settings.MaxGigaMacs is double gigaMacs)
        {
            fit = fit.WithinMultiplyAccumulates((long)(gigaMacs * 1e9));
        }

        if (settings.MaxMemoryMebibytes is double mebibytes)
        {
            fit = fit.WithinPeakMemory((long)(mebibytes * 1048576));
        }

        if (settings.Resolution is int pixels)
        {
            fit = fit.AtResolution(pixels);
        }

        if (settings.Classes is int classes && settings.IsEfficientNetFamily)
        {
            fit = fit.From(new EfficientNetBuilder().WithNumClasses(classes));
        }

        return fit;
    }
}
