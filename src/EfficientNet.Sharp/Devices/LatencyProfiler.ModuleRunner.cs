using EfficientNet.Sharp.Models;
using EfficientNet.Sharp.Specs;
using static TorchSharp.torch;

namespace EfficientNet.Sharp.Devices;

/// <summary>How the profiler runs one of its own networks: the one runner every measurement of a spec uses.</summary>
public sealed partial class LatencyProfiler
{
    /// <summary>A network in the profiler's runtime form with a random input, on the profiler's device.</summary>
    private sealed class ModuleRunner : IInferenceRunner
    {
        private readonly LatencyProfiler profiler;
        private readonly ConvNetwork network;
        private readonly InferenceNetwork? prepared;
        private readonly Tensor input;

        public ModuleRunner(LatencyProfiler profiler, NetworkSpec spec, int batchSize)
        {
            this.profiler = profiler;
            network = new ConvNetwork(spec);
            prepared = profiler.Prepared(network);
            input = profiler.Prepare(Module, [batchSize, spec.InputChannels, spec.Resolution, spec.Resolution]);
        }

        private nn.Module<Tensor, Tensor> Module => (nn.Module<Tensor, Tensor>?)prepared ?? network;

        public void Run() => profiler.RunModule(Module, input);

        public void Dispose()
        {
            input.Dispose();
            prepared?.Dispose();
            network.Dispose();
        }
    }
}
