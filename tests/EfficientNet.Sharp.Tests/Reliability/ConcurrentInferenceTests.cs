using EfficientNet.Sharp.Inference;
using EfficientNet.Sharp.Models;
using EfficientNet.Sharp.Scaling;
using EfficientNet.Sharp.TfLite;
using TorchSharp;
using static TorchSharp.torch;

namespace EfficientNet.Sharp.Tests.Reliability;

/// <summary>
/// TorchSharp 0.107 passes a <c>Scalar</c>'s native handle to libtorch without keeping the managed object
/// alive, so a temporary made by an implicit conversion can be finalized while the native call still reads
/// it. A thread that forces collections and finalizers continuously makes that window likely (before the
/// fix, 400 classifications failed in 2 of 3 runs); the library must give the same answer every time and
/// never throw, from one thread and from several sharing one classifier or network.
/// </summary>
[NonParallelizable]
public class ConcurrentInferenceTests
{
    private static string CoralFile(string name) => TestData.File("coral-test-data", name);

    [Test]
    public void Classify_UnderContinuousGarbageCollection_NeverThrowsAndAlwaysAgrees()
    {
        using TfLiteModel model = TfLiteImport.Load(CoralFile("mobilenet_v1_0.25_128_quant.tflite"));
        using var classifier = new ImageClassifier(model.Network, model.Transform);
        string image = CoralFile("cat.bmp");
        Prediction expected = classifier.Classify(image, 1)[0];

        List<string> failures;
        using (new CollectorThread())
        {
            failures = Repeat(400, _ => Differences(expected, classifier.Classify(image, 1)[0]));
        }

        Assert.That(failures, Is.Empty);
    }

    [Test]
    public void Preprocess_UnderContinuousGarbageCollection_GivesIdenticalTensors()
    {
        string image = CoralFile("cat.bmp");
        EvalTransform[] transforms =
        [
            EvalTransform.ImageNet(256, 224, Interpolation.Bilinear),
            EvalTransform.TensorFlowLite(128, [0.5f, 0.5f, 0.5f], [0.5f, 0.5f, 0.5f]),
        ];
        Tensor[] expected = [.. transforms.Select(t => ImagePreprocessor.Preprocess(image, t))];
        try
        {
            List<string> failures;
            using (new CollectorThread())
            {
                failures = Repeat(600, i =>
                {
                    using Tensor actual = ImagePreprocessor.Preprocess(image, transforms[i % 2]);
                    return actual.allclose(expected[i % 2], rtol: 0, atol: 0) ? null : "a different tensor";
                });
            }

            Assert.That(failures, Is.Empty);
        }
        finally
        {
            foreach (Tensor t in expected)
            {
                t.Dispose();
            }
        }
    }

    [Test]
    public void Classify_FromFourThreadsSharingOneClassifier_AgreesWithOneThread()
    {
        using TfLiteModel model = TfLiteImport.Load(CoralFile("mobilenet_v1_0.25_128_quant.tflite"));
        using var classifier = new ImageClassifier(model.Network, model.Transform);
        string image = CoralFile("cat.bmp");
        Prediction expected = classifier.Classify(image, 1)[0];

        List<string>[] failures;
        using (new CollectorThread())
        {
            failures = RunOnThreads(4, () => Repeat(60, _ => Differences(expected, classifier.Classify(image, 1)[0])));
        }

        Assert.That(failures.SelectMany(f => f), Is.Empty);
    }

    [Test]
    public void Forward_FromFourThreadsSharingOneNetwork_EqualsOneThreadBitForBit()
    {
        using ConvNetwork network = RandomStatistics.Network(new EfficientNetBuilder().WithResolution(96).BuildSpec());
        using InferenceNetwork prepared = network.ForInference();
        using Tensor input = torch.randn([2, 3, 96, 96], generator: new torch.Generator(5));
        using Tensor expected = Eval(network, input);
        using Tensor expectedPrepared = prepared.call(input);

        List<string>[] failures;
        using (new CollectorThread())
        {
            failures = RunOnThreads(4, () => Repeat(15, i =>
            {
                using Tensor actual = i % 2 == 0 ? Eval(network, input) : prepared.call(input);
                return actual.allclose(i % 2 == 0 ? expected : expectedPrepared, rtol: 0, atol: 0) ? null : "a different output";
            }));
        }

        Assert.That(failures.SelectMany(f => f), Is.Empty);
    }

    private static Tensor Eval(ConvNetwork network, Tensor input)
    {
        using var noGrad = torch.no_grad();
        using var scope = torch.NewDisposeScope();
        return network.call(input).MoveToOuterDisposeScope();
    }

    private static string? Differences(Prediction expected, Prediction actual) =>
        actual.ClassIndex == expected.ClassIndex && actual.Probability == expected.Probability
            ? null
            : $"{actual.ClassIndex} ({actual.Probability}) instead of {expected.ClassIndex} ({expected.Probability})";

    /// <summary>Runs the step the given number of times; each failure (a difference or any exception) is one line.</summary>
    private static List<string> Repeat(int iterations, Func<int, string?> step)
    {
        var failures = new List<string>();
        for (int i = 0; i < iterations; i++)
        {
            try
            {
                if (step(i) is { } difference)
                {
                    failures.Add($"iteration {i}: {difference}");
                }
            }
            catch (Exception e)
            {
                failures.Add($"iteration {i}: {e.GetType().Name}: {e.Message.Split('\n')[0]}");
            }
        }

        return failures;
    }

    private static T[] RunOnThreads<T>(int count, Func<T> work)
    {
        var results = new T[count];
        Thread[] threads = [.. Enumerable.Range(0, count).Select(i => new Thread(() => results[i] = work()))];
        foreach (Thread thread in threads)
        {
            thread.Start();
        }

        foreach (Thread thread in threads)
        {
            thread.Join();
        }

        return results;
    }

    /// <summary>
    /// Collects garbage and runs finalizers in a loop until disposed. A temporary made inside a call is young, so the
    /// collections are of the young generations, with a full one every sixteenth for a temporary promoted meanwhile: a
    /// full collection marks the whole heap, which after the rest of the suite held millions of objects (each
    /// classification then waited about a second: this test took 7 minutes of a 12-minute run; with a heap of three
    /// million small objects, 100 classifications took 20 s under full collections and 1.7 s under young ones, which
    /// also came ten times as often).
    /// </summary>
    private sealed class CollectorThread : IDisposable
    {
        private const int FullCollectionEvery = 16;
        private readonly Thread thread;
        private volatile bool stop;

        public CollectorThread()
        {
            thread = new Thread(() =>
            {
                for (long collections = 1; !stop; collections++)
                {
                    GC.Collect(collections % FullCollectionEvery == 0 ? GC.MaxGeneration : 1);
                    GC.WaitForPendingFinalizers();
                }
            })
            { IsBackground = true };
            thread.Start();
        }

        public void Dispose()
        {
            stop = true;
            thread.Join();
        }
    }
}
