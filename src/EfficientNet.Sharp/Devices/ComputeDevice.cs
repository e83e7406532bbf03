using System.Globalization;
using TorchSharp;

namespace EfficientNet.Sharp.Devices;

/// <summary>Where a network runs: the CPU with a number of intra-op threads, or a CUDA GPU.</summary>
public sealed record ComputeDevice
{
    private ComputeDevice(DeviceType type, int threads, int index)
    {
        Type = type;
        Threads = threads;
        Index = index;
    }

    /// <summary>CPU or CUDA.</summary>
    public DeviceType Type { get; }

    /// <summary>Intra-op threads libtorch uses while measuring (CPU), or 0 for a GPU.</summary>
    public int Threads { get; }

    /// <summary>The GPU's index (CUDA), or 0 for the CPU.</summary>
    public int Index { get; }

    /// <summary>The CPU with <paramref name="threads"/> intra-op threads.</summary>
    /// <param name="threads">Threads (≥ 1); libtorch's current setting (by default, the core count) when omitted.</param>
    /// <returns>The device.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="threads"/> is below 1.</exception>
    /// <exception cref="LibTorchUnavailableException">libtorch cannot be loaded (the message says why and how to fix it).</exception>
    public static ComputeDevice Cpu(int? threads = null)
    {
        LibTorch.EnsureAvailable();
        if (threads is int t)
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(t, nameof(threads));
        }

        return new ComputeDevice(DeviceType.CPU, threads ?? torch.get_num_threads(), 0);
    }

    /// <summary>A CUDA GPU.</summary>
    /// <param name="index">The GPU's index (≥ 0).</param>
    /// <returns>The device.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is negative.</exception>
    /// <exception cref="InvalidOperationException">This process has no CUDA device (the CPU build of TorchSharp, or no GPU).</exception>
    /// <exception cref="LibTorchUnavailableException">libtorch cannot be loaded (the message says why and how to fix it).</exception>
    public static ComputeDevice Cuda(int index = 0)
    {
        LibTorch.EnsureAvailable();
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        if (!torch.cuda.is_available() || index >= torch.cuda.device_count())
        {
            throw new InvalidOperationException($"CUDA device {index} is not available: this process sees {(torch.cuda.is_available() ? torch.cuda.device_count() : 0)} CUDA device(s). Reference a CUDA build of TorchSharp (for example TorchSharp-cuda-linux) and run on a machine with an NVIDIA GPU.");
        }

        return new ComputeDevice(DeviceType.CUDA, 0, index);
    }

    /// <summary>The TorchSharp device to place modules and tensors on.</summary>
    public torch.Device TorchDevice => Type == DeviceType.CUDA ? torch.device(DeviceType.CUDA, Index) : torch.CPU;

    /// <inheritdoc />
    public override string ToString() => Type == DeviceType.CUDA
        ? $"cuda:{Index.ToString(CultureInfo.InvariantCulture)}"
        : $"cpu, {Threads.ToString(CultureInfo.InvariantCulture)} thread{(Threads == 1 ? "" : "s")}";
}
