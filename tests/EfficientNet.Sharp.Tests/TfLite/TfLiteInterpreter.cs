using System.Text.Json;

namespace EfficientNet.Sharp.Tests.TfLite;

/// <summary>
/// The real TensorFlow Lite interpreter (tfjs-tflite's WASM build, run by ../shared/tools/tflite-interpreter
/// under node) as the independent reference for imported files. Needs <c>node</c> on the path and the npm
/// package: TFLITE_INTERPRETER_MODULES names its node_modules folder (eng/install-tflite-interpreter.sh
/// installs it into a temporary folder and prints the variable; .ci/run does so). Without them the tests
/// that use it are skipped with a message, or fail under EFFICIENTNET_SHARP_REQUIRE_TESTDATA=1.
/// </summary>
internal static class TfLiteInterpreter
{
    public const string ModulesVariable = "TFLITE_INTERPRETER_MODULES";

    /// <summary>Runs <paramref name="model"/> on input 0's raw bytes; returns output 0's raw bytes and its reported type and shape.</summary>
    public static InterpreterOutput Run(byte[] model, byte[] input)
    {
        string script = TestData.Tool("tflite-interpreter", "run.js");
        string modules = Environment.GetEnvironmentVariable(ModulesVariable) is { Length: > 0 } configured
            ? configured
            : Path.Combine(Path.GetDirectoryName(script)!, "node_modules");
        if (!Directory.Exists(Path.Combine(modules, "@tensorflow", "tfjs-tflite")))
        {
            TestData.Unavailable($"the TFLite interpreter's npm package is not in '{modules}' (run eng/install-tflite-interpreter.sh and set {ModulesVariable} as it says)");
        }

        using var folder = new TempFolder();
        string modelPath = Path.Combine(folder.Path, "model.tflite");
        string inputPath = Path.Combine(folder.Path, "input.raw");
        string outputPath = Path.Combine(folder.Path, "output.raw");
        File.WriteAllBytes(modelPath, model);
        File.WriteAllBytes(inputPath, input);
        ChildProcessResult result;
        try
        {
            result = ChildProcess.Run("node", null, new Dictionary<string, string> { [ModulesVariable] = modules }, script, modelPath, inputPath, outputPath);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            TestData.Unavailable($"node could not be started ({e.Message})");
            throw;
        }

        Assert.That(result.ExitCode, Is.Zero, $"the TFLite interpreter failed: {result.Error}");
        using JsonDocument report = JsonDocument.Parse(result.Output.Trim().Split('\n')[^1]);
        JsonElement output = report.RootElement.GetProperty("output");
        return new InterpreterOutput(File.ReadAllBytes(outputPath), output.GetProperty("type").GetString()!, output.GetProperty("shape").GetString()!);
    }

    /// <summary>Runs a float model on float32 NHWC values.</summary>
    public static float[] RunFloat(byte[] model, float[] nhwc)
    {
        InterpreterOutput output = Run(model, [.. nhwc.SelectMany(BitConverter.GetBytes)]);
        Assert.That(output.Type, Is.EqualTo("float32"));
        return [.. Enumerable.Range(0, output.Bytes.Length / 4).Select(i => BitConverter.ToSingle(output.Bytes, i * 4))];
    }
}

/// <summary>What the interpreter returned: output 0's bytes, element type and shape (comma-separated).</summary>
internal sealed record InterpreterOutput(byte[] Bytes, string Type, string Shape);
