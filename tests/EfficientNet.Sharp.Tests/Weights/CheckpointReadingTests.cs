using System.Collections;
using EfficientNet.Sharp.Weights;
using static TorchSharp.torch;

namespace EfficientNet.Sharp.Tests.Weights;

/// <summary>Real files written by PyTorch and the safetensors library (../shared/testdata; values from its README).</summary>
public class CheckpointReadingTests
{
    private static IEnumerable<TestCaseData> GoPickleFiles()
    {
        string[] dtypes = ["float16", "float32", "float64", "bfloat16", "int8", "int16", "int32", "int64", "uint8", "bool"];
        foreach (string dtype in dtypes)
        {
            for (int protocol = 1; protocol <= 5; protocol++)
            {
                foreach (bool zip in new[] { false, true })
                {
                    string file = $"tensor_{dtype}_proto{protocol}{(zip ? "_zip" : "")}.pt";
                    yield return new TestCaseData(file, dtype, zip).SetName($"GoPickle_{Path.GetFileNameWithoutExtension(file)}");
                }
            }
        }
    }

    [TestCaseSource(nameof(GoPickleFiles))]
    public void GoPickle_EveryDtypeAndProtocol_ReadsTheStatedValues(string file, string dtype, bool zip)
    {
        using Checkpoint checkpoint = Checkpoint.Read(TestData.File("gopickle", file));

        Assert.That(checkpoint.Format, Is.EqualTo(zip ? CheckpointFormat.PyTorchZip : CheckpointFormat.PyTorchLegacy));
        var tensor = (Tensor)checkpoint.Root!;
        Assert.That(tensor.shape, Is.EqualTo(new long[] { 4 }));
        Assert.That(checkpoint.StateDict, Is.Empty);
        Assert.That(checkpoint.Notes, Has.Some.Contain("single tensor"));
        switch (dtype)
        {
            case "float16" or "float32" or "float64" or "bfloat16":
                double tolerance = dtype switch { "float16" => 0.002, "bfloat16" => 0.013, _ => 1e-6 };
                Assert.That(tensor.dtype, Is.EqualTo(dtype switch { "float16" => ScalarType.Float16, "float32" => ScalarType.Float32, "float64" => ScalarType.Float64, _ => ScalarType.BFloat16 }));
                Assert.That(tensor.to_type(ScalarType.Float64).data<double>().ToArray(), Is.EqualTo(new[] { 1.2, -3.4, 5.6, -7.8 }).Within(tolerance));
                break;
            case "uint8":
                Assert.That(tensor.data<byte>().ToArray(), Is.EqualTo(new byte[] { 1, 10, 100, 255 }));
                break;
            case "bool":
                Assert.That(tensor.data<bool>().ToArray(), Is.EqualTo(new[] { true, false, true, false }));
                break;
            default:
                Assert.That(tensor.to_type(ScalarType.Int64).data<long>().ToArray(), Is.EqualTo(new long[] { 1, -2, 3, -4 }));
                break;
        }
    }

    [Test]
    public void Candle_StateDict_IsRead()
    {
        using Checkpoint checkpoint = Checkpoint.Read(TestData.File("candle", "test.pt"));

        Assert.That(checkpoint.StateDict.Keys, Is.EquivalentTo(new[] { "test" }));
        Assert.That(checkpoint.StateDict["test"].data<long>().ToArray(), Is.EqualTo(new long[] { 1, 2, 3, 4, 5, 6, 7, 8 }));
        Assert.That(checkpoint.StateDict["test"].shape, Is.EqualTo(new long[] { 2, 4 }));
    }

    [Test]
    public void Candle_NestedStateDict_IsUnwrappedAndReported()
    {
        using Checkpoint checkpoint = Checkpoint.Read(TestData.File("candle", "test_with_key.pt"));

        Assert.That(checkpoint.StateDict.Keys, Is.EquivalentTo(new[] { "test" }));
        Assert.That(checkpoint.Notes, Has.Some.Contain("'model_state_dict'"));
    }

    [Test]
    public void Candle_FortranOrderStrides_AreHonoured()
    {
        using Checkpoint checkpoint = Checkpoint.Read(TestData.File("candle", "fortran_tensor_3d.pth"));
        Tensor tensor = checkpoint.StateDict["tensor_fortran"];

        Assert.That(tensor.shape, Is.EqualTo(new long[] { 2, 3, 4 }));
        Assert.That(tensor.stride(), Is.EqualTo(new long[] { 1, 2, 6 }));
        Assert.That(tensor.contiguous().data<long>().ToArray(), Is.EqualTo(Enumerable.Range(1, 24).Select(i => (long)i).ToArray()));
    }

    [Test]
    public void PyBridge_ModuleAndTensorFiles_AreRead()
    {
        using Checkpoint module = Checkpoint.Read(TestData.File("torchsharp-pybridge", "module_load.pth"));
        using Checkpoint tensors = Checkpoint.Read(TestData.File("torchsharp-pybridge", "tensors.pth"));

        Assert.That(module.StateDict["lin1.weight"].shape, Is.EqualTo(new long[] { 1, 5 }));
        Assert.That(module.StateDict["lin1.weight"].data<float>().ToArray(), Is.All.EqualTo(1f));
        Assert.That(module.StateDict["lin2.weight"].shape, Is.EqualTo(new long[] { 2, 1 }));
        Assert.That(tensors.StateDict["arr"].data<long>().ToArray(), Is.EqualTo(new long[] { 1, 2, 3, 4, 5, 6 }));
        Assert.That(tensors.StateDict["arr_2d"].shape, Is.EqualTo(new long[] { 2, 3 }));
        Assert.That(tensors.StateDict["arr_2d"][1, 2].item<long>(), Is.EqualTo(6));
    }

    [Test]
    public void PyBridge_SafetensorsFiles_AreRead()
    {
        using Checkpoint module = Checkpoint.Read(TestData.File("torchsharp-pybridge", "module_load.safetensors"));
        using Checkpoint tensors = Checkpoint.Read(TestData.File("torchsharp-pybridge", "tensors.safetensors"));

        Assert.That(module.Format, Is.EqualTo(CheckpointFormat.Safetensors));
        Assert.That(module.StateDict["lin1.weight"].data<float>().ToArray(), Is.EqualTo(Enumerable.Repeat(1f, 10)));
        Assert.That(module.StateDict["lin2.weight"].data<float>().ToArray(), Is.EqualTo(Enumerable.Repeat(2f, 4)));
        Assert.That(tensors.StateDict["arr_2d"].data<long>().ToArray(), Is.EqualTo(new long[] { 1, 2, 3, 4, 5, 6 }));
    }

    [Test]
    public void OptimizerCheckpoint_KeepsItsNonTensorEntries()
    {
        using Checkpoint checkpoint = Checkpoint.Read(TestData.File("torchsharp-pybridge", "adam_load.pth"));
        var root = (Hashtable)checkpoint.Root!;
        var groups = (ArrayList)root["param_groups"]!;
        var first = (Hashtable)groups[0]!;
        var second = (Hashtable)groups[1]!;

        Assert.That(checkpoint.StateDict, Is.Empty, "an optimizer state is not a model state dict");
        Assert.That(first["lr"], Is.EqualTo(0.001));
        Assert.That(second["lr"], Is.EqualTo(0.01));
        Assert.That((object[])first["betas"]!, Is.EqualTo(new object[] { 0.8, 0.9 }));
        Assert.That(first["amsgrad"], Is.False);
        Assert.That(second["amsgrad"], Is.True);
        var state = (Hashtable)root["state"]!;
        Assert.That(state.Values.Cast<Hashtable>().Select(s => ((Tensor)s["exp_avg"]!).dtype), Is.All.EqualTo(ScalarType.Float32));
    }

    private static IEnumerable<TestCaseData> SafetensorsSamples()
    {
        yield return new TestCaseData("b", ScalarType.Int8, new long[] { -3, -2, -1, 0, 1, 2 });
        yield return new TestCaseData("h", ScalarType.Int16, new long[] { -3, -2, -1, 0, 1, 2 });
        yield return new TestCaseData("i", ScalarType.Int32, new long[] { -3, -2, -1, 0, 1, 2 });
        yield return new TestCaseData("B", ScalarType.Byte, new long[] { 253, 254, 255, 0, 1, 2 });
        yield return new TestCaseData("H", ScalarType.Int32, new long[] { 65533, 65534, 65535, 0, 1, 2 });
        yield return new TestCaseData("I", ScalarType.Int64, new long[] { 4294967293, 4294967294, 4294967295, 0, 1, 2 });
        yield return new TestCaseData("e", ScalarType.Float16, new long[] { -3, -2, -1, 0, 1, 2 });
        yield return new TestCaseData("f", ScalarType.Float32, new long[] { -3, -2, -1, 0, 1, 2 });
        yield return new TestCaseData("d", ScalarType.Float64, new long[] { -3, -2, -1, 0, 1, 2 });
    }

    [TestCaseSource(nameof(SafetensorsSamples))]
    public void SafetensorsSamples_EveryDtype_ReadsTheStatedValues(string name, ScalarType type, long[] values)
    {
        using Checkpoint single = Checkpoint.Read(TestData.File("safetensors-samples", $"{name}.safetensors"));
        using Checkpoint overall = Checkpoint.Read(TestData.File("safetensors-samples", "overall.safetensors"));

        foreach (Checkpoint checkpoint in new[] { single, overall })
        {
            Tensor tensor = checkpoint.StateDict[name];
            Assert.That(tensor.dtype, Is.EqualTo(type));
            Assert.That(tensor.to_type(ScalarType.Float64).data<double>().ToArray(), Is.EqualTo(values.Select(v => (double)v)));
        }
    }

    [Test]
    public void FaceDetector_LegacyFormat_IsReadCompletely()
    {
        using Checkpoint checkpoint = Checkpoint.Read(TestData.File("face-detector-1mb", "mobilenet0.25_Final.pth"));

        Assert.That(checkpoint.Format, Is.EqualTo(CheckpointFormat.PyTorchLegacy));
        Assert.That(checkpoint.StateDict, Has.Count.EqualTo(300));
        Assert.That(checkpoint.StateDict.Keys.Count(k => k.StartsWith("body.", StringComparison.Ordinal)), Is.EqualTo(162));
        Assert.That(checkpoint.StateDict["body.stage1.0.0.weight"].shape, Is.EqualTo(new long[] { 8, 3, 3, 3 }));
        Assert.That(checkpoint.StateDict["body.stage1.1.0.weight"].shape, Is.EqualTo(new long[] { 8, 1, 3, 3 }));
        Assert.That(checkpoint.StateDict["body.stage3.1.3.weight"].shape, Is.EqualTo(new long[] { 256, 256, 1, 1 }));
        Assert.That(checkpoint.StateDict["body.stage1.0.1.num_batches_tracked"].dtype, Is.EqualTo(ScalarType.Int64));
        Assert.That(checkpoint.StateDict.Values.Where(t => t.dtype == ScalarType.Float32).All(t => t.isfinite().all().item<bool>()), Is.True);
    }
}
