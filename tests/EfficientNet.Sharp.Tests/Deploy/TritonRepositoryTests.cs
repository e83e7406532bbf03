using EfficientNet.Sharp.Tests.Deploy.Triton;
using Microsoft.ML.OnnxRuntime;

namespace EfficientNet.Sharp.Tests.Deploy;

/// <summary>
/// <c>effnet export --triton DIR</c> writes a model repository Triton (and KServe) load: the configuration parses
/// against Triton's schema and agrees with the ONNX file's own inputs and outputs, the labels file holds the classes.
/// </summary>
public class TritonRepositoryTests
{
    [TestCase(false)]
    [TestCase(true)]
    public void Repository_ParsesAgainstTritonsSchema_AndMatchesTheModel(bool dynamicSize)
    {
        using var folder = new TempFolder();
        string[] args = ["export", "--tflite", TestData.File("coral-test-data", "mobilenet_v1_0.5_160_quant.tflite"), "--triton", folder.Path, "--name", "coral_v1"];

        ChildProcessResult result = ChildProcess.Effnet(null, dynamicSize ? [.. args, "--dynamic-size"] : args);

        Assert.That(result.ExitCode, Is.Zero, result.Error);
        string model = Path.Combine(folder.Path, "coral_v1");
        ModelConfig config = ProtobufText.Parse<ModelConfig>(File.ReadAllText(Path.Combine(model, "config.pbtxt")));
        Assert.That((config.Name, config.Platform), Is.EqualTo(("coral_v1", "onnxruntime_onnx")));
        Assert.That(config.MaxBatchSize, Is.GreaterThan(1));
        Assert.That(config.DynamicBatching.PreferredBatchSize, Is.Not.Empty.And.All.InRange(1, config.MaxBatchSize));
        Assert.That(config.InstanceGroup.Single().Kind, Is.EqualTo(ModelInstanceGroup.Types.Kind.Cpu));

        // Triton's dims leave out the batch axis; the file's own signature has it first, symbolic.
        using var session = new InferenceSession(Path.Combine(model, "1", "model.onnx"));
        (string inputName, NodeMetadata input) = session.InputMetadata.Single();
        (string outputName, NodeMetadata output) = session.OutputMetadata.Single();
        ModelInput configInput = config.Input.Single();
        ModelOutput configOutput = config.Output.Single();
        Assert.That(configInput.Name, Is.EqualTo(inputName));
        Assert.That(configInput.DataType, Is.EqualTo(DataType.TypeFp32));
        Assert.That(input.Dimensions[0], Is.EqualTo(-1), "a symbolic batch, for Triton's batching");
        Assert.That(configInput.Dims, Is.EqualTo(input.Dimensions.Skip(1).Select(d => (long)d)));
        Assert.That(configInput.Dims, Is.EqualTo(dynamicSize ? new long[] { 3, -1, -1 } : new long[] { 3, 160, 160 }));
        Assert.That(configOutput.Name, Is.EqualTo(outputName));
        Assert.That(configOutput.Dims, Is.EqualTo(output.Dimensions.Skip(1).Select(d => (long)d)));
        string[] labels = File.ReadAllLines(Path.Combine(model, configOutput.LabelFilename));
        Assert.That(labels, Has.Length.EqualTo(configOutput.Dims.Single()));
        Assert.That(labels[286], Is.EqualTo("Egyptian cat"));
    }

    [Test]
    public void Parser_RefusesWhatTritonWould()
    {
        Assert.That(() => ProtobufText.Parse<ModelConfig>("name: \"m\"\nmax_batch: 8"), Throws.InstanceOf<FormatException>().With.Message.Contain("no field 'max_batch'"));
        Assert.That(() => ProtobufText.Parse<ModelConfig>("input [ { data_type: TYPE_FLOAT } ]"), Throws.InstanceOf<FormatException>().With.Message.Contain("not a value of DataType"));
    }
}
