using System.Buffers.Binary;
using EfficientNet.Sharp.Analysis;
using EfficientNet.Sharp.TfLite;

namespace EfficientNet.Sharp.Tests.TfLite;

/// <summary>
/// Google's Coral files, corrupted where the importer reads their structure: every corruption is refused
/// as a damaged file (or, where it changes nothing structural, imports the same architecture), nothing is
/// printed, and nothing but <see cref="TfLiteImportException"/> escapes.
/// </summary>
[NonParallelizable]
public class DamagedFileTests
{
    private const string Name = "mobilenet_v1_0.25_128_quant.tflite";

    // Field numbers of the TFLite schema (schema.fbs): Model.subgraphs = 2, Model.buffers = 4,
    // SubGraph.tensors = 0, SubGraph.inputs = 1, SubGraph.operators = 3, Tensor.shape = 0, Buffer.data = 0.
    private const int Subgraphs = 2;
    private const int Buffers = 4;
    private const int Tensors = 0;
    private const int Inputs = 1;
    private const int Operators = 3;
    private const int Shape = 0;
    private const int Data = 0;

    private static byte[] Coral() => File.ReadAllBytes(TestData.File("coral-test-data", Name));

    [Test]
    public void CoralImport_WritesNothingToTheConsole()
    {
        (string output, string error) = CapturingConsole(() =>
        {
            using TfLiteModel small = TfLiteImport.Load(TestData.File("coral-test-data", Name));
            using TfLiteModel larger = TfLiteImport.Load(TestData.File("coral-test-data", "mobilenet_v1_0.5_160_quant.tflite"));
        });

        Assert.That(output, Is.Empty);
        Assert.That(error, Is.Empty);
    }

    [Test]
    public void Corruptions_PastThe32KiBMark_AreRefusedAsDamaged()
    {
        byte[] original = Coral();
        var map = new FlatBufferMap(original);
        int graph = map.TableAt(map.Root, Subgraphs, 0);
        int lastOperator = map.TableAt(graph, Operators, map.Length(map.Vector(graph, Operators)) - 1);
        int lastTensor = map.TableAt(graph, Tensors, map.Length(map.Vector(graph, Tensors)) - 1);
        int lastWeights = LastBufferData(map);

        (string What, int Position, int Value)[] corruptions =
        [
            ("an operator's vtable offset", lastOperator, -original.Length),
            ("a tensor shape's length", map.Vector(lastTensor, Shape), 1 << 28),
            ("a tensor shape's offset past the end", map.Field(lastTensor, Shape), original.Length),
            ("a buffer's data length", lastWeights, int.MaxValue),
            ("a buffer's data length, one element too long", lastWeights, map.Length(lastWeights) + 1),
        ];
        Assert.That(corruptions.Select(c => c.Position), Is.All.GreaterThan(32_768), "each corrupted word lies past the 16-bit range");
        foreach ((string what, int position, int value) in corruptions)
        {
            byte[] corrupted = (byte[])original.Clone();
            BinaryPrimitives.WriteInt32LittleEndian(corrupted.AsSpan(position), value);

            var error = Assert.Throws<TfLiteImportException>(() => TfLiteImport.Load(corrupted, Name), what);
            Assert.That(error!.Message, Does.Contain(Name).And.Contain("damaged"), what);
            TestContext.Out.WriteLine($"{what} at byte {position:N0}: {error.Message}");
        }
    }

    [Test]
    public void InputShapeEditedTo4000x4000_IsRefusedWithoutAllocating()
    {
        byte[] bytes = Coral();
        var map = new FlatBufferMap(bytes);
        int graph = map.TableAt(map.Root, Subgraphs, 0);
        int input = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(map.Vector(graph, Inputs) + 4));
        int shape = map.Vector(map.TableAt(graph, Tensors, input), Shape);
        Assert.That(map.Length(shape), Is.EqualTo(4));
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(shape + 8), 4000);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(shape + 12), 4000);
        long before = GC.GetAllocatedBytesForCurrentThread();

        var error = Assert.Throws<TfLiteImportException>(() => TfLiteImport.Load(bytes, Name));

        Assert.That(error!.Message, Does.Contain("damaged").And.Contain("4000"));
        Assert.That(GC.GetAllocatedBytesForCurrentThread() - before, Is.LessThan(4 * bytes.Length), "no more than a few times the file is allocated");
    }

    /// <summary>
    /// Seeded one-word corruptions, half anywhere outside the weights (names, quantization values, option
    /// fields: mostly values a file may hold) and half in the words that hold the structure (offsets,
    /// vtable offsets, vector lengths). None may escape as another exception, print anything, allocate
    /// more than the intact import does, or import a different-sized network.
    /// </summary>
    [TestCase(false, TestName = "RandomOneWordCorruptions_OutsideTheWeights")]
    [TestCase(true, TestName = "RandomOneWordCorruptions_OfTheStructure")]
    public void RandomOneWordCorruptions_AreRefusedOrImportTheSameArchitecture(bool structural)
    {
        byte[] original = Coral();
        var map = new FlatBufferMap(original);
        (int Start, int End)[] weights = [.. map.BufferData()];
        int[] structure = [.. map.StructuralWords()];
        long parameters;
        int resolution;
        long allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        using (TfLiteModel intact = TfLiteImport.Load(original, Name))
        {
            parameters = NetworkAnalyzer.Analyze(intact.Spec).Parameters;
            resolution = intact.Spec.Resolution;
        }

        long intactAllocation = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
        var random = new Random(structural ? 1130 : 2026);
        int refused = 0, imported = 0;
        long largestAllocation = 0;
        var escaped = new List<string>();
        (string output, string error) = CapturingConsole(() =>
        {
            for (int trial = 0; trial < 200; trial++)
            {
                int position = structural ? structure[random.Next(structure.Length)] : OutsideWeights(random, original.Length, weights);
                byte[] corrupted = (byte[])original.Clone();
                int value = Corrupt(random, BinaryPrimitives.ReadInt32LittleEndian(original.AsSpan(position)), original.Length);
                BinaryPrimitives.WriteInt32LittleEndian(corrupted.AsSpan(position), value);
                long before = GC.GetAllocatedBytesForCurrentThread();
                try
                {
                    using TfLiteModel model = TfLiteImport.Load(corrupted, Name);
                    imported++;
                    long modelParameters = NetworkAnalyzer.Analyze(model.Spec).Parameters;
                    if (modelParameters != parameters || model.Spec.Resolution != resolution)
                    {
                        escaped.Add($"byte {position:N0} = {value}: imported as {model.Spec.Name} with {modelParameters:N0} parameters");
                    }
                }
                catch (TfLiteImportException)
                {
                    refused++;
                }
                catch (Exception e)
                {
                    escaped.Add($"byte {position:N0} = {value}: {e.GetType().Name}: {e.Message}");
                }

                largestAllocation = Math.Max(largestAllocation, GC.GetAllocatedBytesForCurrentThread() - before);
            }
        });

        TestContext.Out.WriteLine($"{refused} refused, {imported} imported the same architecture; largest managed allocation {largestAllocation:N0} bytes (intact import: {intactAllocation:N0})");
        Assert.That(escaped, Is.Empty);
        Assert.That(output + error, Is.Empty, "nothing is printed");
        Assert.That(largestAllocation, Is.LessThan((2 * intactAllocation) + original.Length), "no corruption makes the import allocate more than the intact file does");
        Assert.That(refused, structural ? Is.GreaterThan(100) : Is.GreaterThan(0));
    }

    private static int OutsideWeights(Random random, int length, (int Start, int End)[] weights)
    {
        int position;
        do
        {
            position = random.Next(length / 4) * 4;
        }
        while (weights.Any(w => position + 4 > w.Start && position < w.End));

        return position;
    }

    /// <summary>A random value, a negated one, one flipped bit, or a small shift (an offset that lands nearby).</summary>
    private static int Corrupt(Random random, int value, int fileLength) => random.Next(5) switch
    {
        0 => random.Next(),
        1 => -random.Next(fileLength),
        2 => value ^ (1 << random.Next(32)),
        3 => value + random.Next(-64, 65),
        _ => random.Next(fileLength),
    };

    /// <summary>The length word of the buffer data that lies furthest into the file.</summary>
    private static int LastBufferData(FlatBufferMap map)
    {
        int count = map.Length(map.Vector(map.Root, Buffers));
        return Enumerable.Range(0, count)
            .Select(i => map.TableAt(map.Root, Buffers, i))
            .Where(buffer => map.Field(buffer, Data) >= 0)
            .Max(buffer => map.Vector(buffer, Data));
    }

    private static (string Output, string Error) CapturingConsole(Action action)
    {
        TextWriter output = Console.Out, error = Console.Error;
        using var capturedOutput = new StringWriter();
        using var capturedError = new StringWriter();
        Console.SetOut(capturedOutput);
        Console.SetError(capturedError);
        try
        {
            action();
        }
        finally
        {
            Console.SetOut(output);
            Console.SetError(error);
        }

        return (capturedOutput.ToString(), capturedError.ToString());
    }
}
