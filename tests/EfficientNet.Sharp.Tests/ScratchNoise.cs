using System.Diagnostics;
using EfficientNet.Sharp.Devices;
using EfficientNet.Sharp.Scaling;
using EfficientNet.Sharp.Specs;

namespace EfficientNet.Sharp.Tests;

[Explicit]
public class ScratchNoise
{
    [Test]
    public void Trace()
    {
        NetworkSpec b1 = new EfficientNetBuilder().WithPhi(1).BuildSpec();
        NetworkSpec p08 = new EfficientNetBuilder().WithPhi(0.8).BuildSpec();
        var clock = Stopwatch.StartNew();
        for (int i = 0; i < 15; i++)
        {
            var profiler = new LatencyProfiler(ComputeDevice.Cpu(2), 5, 10);
            LatencyMeasurement a = profiler.Measure(b1, 1);
            LatencyMeasurement b = profiler.Measure(p08, 1);
            TestContext.Out.WriteLine($"{clock.Elapsed.TotalSeconds,6:0.0}s b1 {a.MedianMilliseconds:0.0} [{string.Join(" ", a.SamplesMilliseconds.Select(x => x.ToString("0")))}]  p0.8 {b.MedianMilliseconds:0.0}");
        }
    }
}
