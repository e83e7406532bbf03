using EfficientNet.Sharp.Profiles;
using EfficientNet.Sharp.Specs;

namespace EfficientNet.Sharp.Devices;

/// <summary>
/// A device-fit cost model for a device this process does not run on: each candidate's batch-1 latency is predicted
/// from the device's profile (<see cref="LatencyPredictor"/>), in microseconds, with nothing built or run. Use it with
/// <c>DeviceFit.Using(new ProfileCostModel(DeviceProfile.Load("pi5.json")))</c>; results say the latencies are predicted.
/// </summary>
public sealed class ProfileCostModel : ICostModel
{
    private readonly LatencyPredictor predictor;

    /// <summary>Creates the cost model.</summary>
    /// <param name="profile">The device's profile.</param>
    /// <param name="name">A name for the profile in reports (its file name, say); the device's description otherwise.</param>
    public ProfileCostModel(DeviceProfile profile, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(profile);
        predictor = new LatencyPredictor(profile);
        Description = $"predictions from device profile {(name is null ? "" : $"'{name}' ")}({profile.Device}, profiled {profile.Device.MeasuredAt:yyyy-MM-dd})";
    }

    /// <inheritdoc />
    public string Description { get; }

    /// <summary>The profile's predictor.</summary>
    public LatencyPredictor Predictor => predictor;

    /// <inheritdoc />
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="batchSize"/> is not 1: a profile predicts batch-1 latency.</exception>
    public CostMeasurement Measure(NetworkSpec spec, int batchSize, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (batchSize != 1)
        {
            throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, "A device profile predicts batch-1 latency; fit with a batch of 1.");
        }

        cancellationToken.ThrowIfCancellationRequested();
        LatencyPrediction prediction = predictor.Predict(spec);
        return new CostMeasurement
        {
            LatencyMilliseconds = prediction.Milliseconds,
            LatencySpreadMilliseconds = 0,
            PeakMemoryBytes = null,
            IsPredicted = true,
            ExtrapolatedKernels = prediction.Extrapolated.Count,
        };
    }
}
