using System.Globalization;
using System.Text.RegularExpressions;
using EfficientNet.Sharp.Models;
using EfficientNet.Sharp.Profiles;
using EfficientNet.Sharp.Scaling;
using EfficientNet.Sharp.Tests.Profiles;

namespace EfficientNet.Sharp.Tests.Cli;

/// <summary><c>effnet predict</c>, <c>effnet fit --device PROFILE</c> and <c>effnet profile-device</c>'s arguments, on a synthetic profile.</summary>
public partial class DeviceProfileCommandTests
{
    private TempFolder folder = null!;
    private string profilePath = null!;

    [OneTimeSetUp]
    public void WriteProfile()
    {
        folder = new TempFolder();
        profilePath = folder.File("pi.json");
        SyntheticProfiles.PowerLaw().Save(profilePath);
    }

    [OneTimeTearDown]
    public void DeleteProfile() => folder.Dispose();

    [Test]
    public void Predict_PrintsTheLatencyAndItsParts_AsThePredictorGivesThem()
    {
        EffnetResult result = Effnet.Run("predict", "--device", profilePath, "--model", "efficientnet_b0", "--width", "0.8", "--resolution", "200");

        Assert.That(result.ExitCode, Is.Zero, result.Errors);
        double expected = new LatencyPredictor(DeviceProfile.Load(profilePath))
            .Predict(ModelRegistry.Get("efficientnet_b0").BuildSpec(new ModelOverrides { Width = 0.8, Resolution = 200 })).Milliseconds;
        Match latency = LatencyLine().Match(result.Output);
        Assert.That(latency.Success, Is.True, result.Output);
        Assert.That(double.Parse(latency.Groups[1].Value, CultureInfo.InvariantCulture), Is.EqualTo(expected).Within(0.005));
        Assert.That(result.Output, Does.Contain("Synthetic CPU").And.Contain("2 threads").And.Contain("stage 7").And.Contain("classifier"));
        Assert.That(result.Output, Does.Not.Contain("outside the profile's grid"));
    }

    [Test]
    public void Predict_WithPhi_PredictsTheScaledNetwork()
    {
        EffnetResult small = Effnet.Run("predict", "--device", profilePath, "--phi=-1");
        EffnetResult large = Effnet.Run("predict", "--device", profilePath, "--phi", "1");

        Assert.That(small.ExitCode + large.ExitCode, Is.Zero, small.Errors + large.Errors);
        Assert.That(Milliseconds(small.Output), Is.LessThan(Milliseconds(large.Output)));
    }

    [Test]
    public void Predict_OutsideTheGrid_ListsTheExtrapolatedKernels()
    {
        EffnetResult result = Effnet.Run("predict", "--device", profilePath, "--model", "mobilenet_v2", "--resolution", "600", "--kernels");

        Assert.That(result.ExitCode, Is.Zero, result.Errors);
        Assert.That(result.Output, Does.Match(@"\d+ kernels lie outside the profile's grid"));
        Assert.That(result.Output, Does.Contain("@600").And.Contain("(extrapolated)"));
        Assert.That(result.Errors, Does.Contain("warning: ").And.Contain("lie outside the profile's grid and are extrapolated"));
    }

    [Test]
    public void Predict_AtAnotherThreadCount_IsRefused()
    {
        EffnetResult result = Effnet.Run("predict", "--device", profilePath, "--model", "mobilenet_v2", "--threads", "4");

        Assert.That(result.ExitCode, Is.EqualTo(2));
        Assert.That(result.Errors, Does.Contain("2 threads, not 4"));
        Assert.That(result.Output, Does.Not.Contain("predicted latency"));
    }

    [Test]
    public void Predict_WithANewerProfile_ExitsOneNamingTheFileAndField()
    {
        string newer = folder.File("newer.json");
        File.WriteAllText(newer, File.ReadAllText(profilePath).Replace("\"schema_version\": 1", "\"schema_version\": 3", StringComparison.Ordinal));

        EffnetResult result = Effnet.Run("predict", "--device", newer, "--model", "mobilenet_v2");

        Assert.That(result.ExitCode, Is.EqualTo(1));
        Assert.That(result.Errors, Does.Contain(newer).And.Contain("schema 3"));
    }

    [Test]
    public void Predict_WithANullField_ExitsOneNamingIt()
    {
        string broken = folder.File("broken.json");
        File.WriteAllText(broken, Regex.Replace(File.ReadAllText(profilePath), "\"runtime_version\": \"[^\"]*\"", "\"runtime_version\": null"));

        EffnetResult result = Effnet.Run("predict", "--device", broken, "--model", "mobilenet_v2");

        Assert.That(result.ExitCode, Is.EqualTo(1));
        Assert.That(result.Errors, Does.Contain(broken).And.Contain("device.runtime_version"));
    }

    [Test]
    public void Predict_WithoutADevice_IsAUsageError()
    {
        EffnetResult result = Effnet.Run("predict", "--model", "mobilenet_v2");

        Assert.That(result.ExitCode, Is.EqualTo(2));
        Assert.That(result.Errors, Does.Contain("--device"));
    }

    [Test]
    public void Fit_OnAProfile_SearchesOnPredictionsAndSaysSo()
    {
        // A budget half again as large as B0's predicted latency: φ = 0 fits, and the search has to find the boundary.
        var predictor = new LatencyPredictor(DeviceProfile.Load(profilePath));
        double budget = Math.Round(1.5 * predictor.Predict(new EfficientNetBuilder().BuildSpec()).Milliseconds);
        EffnetResult result = Effnet.Run("fit", "--device", profilePath, "--latency-ms", budget.ToString(CultureInfo.InvariantCulture), "--min-phi=-2", "--max-phi", "2");

        Assert.That(result.ExitCode, Is.Zero, result.Errors);
        Assert.That(result.Output, Does.Contain("pi.json").And.Contain("Synthetic CPU").And.Contain("predicted"));
        Assert.That(result.Errors, Does.Contain("nothing is built or run").And.Contain("ms predicted"), "what is done and each prediction, on stderr");
        Assert.That(result.Output, Does.Not.Contain("ms predicted"), "stdout carries the report alone");
        Assert.That(result.Errors, Does.Not.Contain("outside the profile's grid"), "φ from -2 to 2 stays within 96-320 px");
        Assert.That(result.Output, Does.Match(@"Largest network that fits: φ = -?\d\.\d"));

        // The answer is the largest φ whose predicted latency is within the budget.
        double chosen = double.Parse(Regex.Match(result.Output, @"Largest network that fits: φ = (-?\d\.\d)").Groups[1].Value, CultureInfo.InvariantCulture);
        Assert.That(predictor.Predict(new EfficientNetBuilder().WithPhi(chosen).BuildSpec()).Milliseconds, Is.LessThanOrEqualTo(budget));
        if (chosen < 2)
        {
            Assert.That(predictor.Predict(new EfficientNetBuilder().WithPhi(chosen + 0.1).BuildSpec()).Milliseconds, Is.GreaterThan(budget));
        }
    }

    [TestCase("--runs", "5")]
    [TestCase("--batch", "4")]
    [TestCase("--runtime", "onnxruntime")]
    public void Fit_OnAProfile_RefusesMeasurementOptions(string option, string value)
    {
        EffnetResult result = Effnet.Run("fit", "--device", profilePath, "--latency-ms", "20", option, value);

        Assert.That(result.ExitCode, Is.EqualTo(2));
        Assert.That(result.Errors, Does.Contain(option));
    }

    [Test]
    public void Fit_OnAProfile_BeyondItsGrid_MarksThePredictionsWithExtrapolatedKernels()
    {
        // Any budget fits B7 here: the search predicts φ = 7 at 600 px, beyond the grid's 320.
        EffnetResult result = Effnet.Run("fit", "--device", profilePath, "--latency-ms", "1000000", "--max-phi", "7");

        Assert.That(result.ExitCode, Is.Zero, result.Errors);
        Assert.That(result.Errors, Does.Match(@"600 px .* ms predicted \(\d+ kernels outside the profile's grid\)"));
        Assert.That(Regex.Matches(result.Errors, "warning: some networks were predicted with kernels outside the profile's grid"), Has.Count.EqualTo(1));
        Assert.That(result.Errors, Does.Contain("within ±25 %"));
    }

    [Test]
    public void Fit_OnAProfileAtAnotherThreadCount_IsRefused()
    {
        EffnetResult result = Effnet.Run("fit", "--device", profilePath, "--latency-ms", "20", "--threads", "1");

        Assert.That(result.ExitCode, Is.EqualTo(2));
        Assert.That(result.Errors, Does.Contain("measured with 2 threads"));
    }

    [Test]
    public void ProfileDevice_WithoutAnOutput_IsAUsageError()
    {
        EffnetResult result = Effnet.Run("profile-device");

        Assert.That(result.ExitCode, Is.EqualTo(2));
        Assert.That(result.Errors, Does.Contain("--output"));
    }

    [Test]
    public void ProfileDevice_WithZeroThreads_IsAUsageError()
    {
        EffnetResult result = Effnet.Run("profile-device", "--output", folder.File("x.json"), "--threads", "0");

        Assert.That(result.ExitCode, Is.EqualTo(2));
        Assert.That(result.Errors, Does.Contain("--threads"));
        Assert.That(File.Exists(folder.File("x.json")), Is.False);
    }

    private static double Milliseconds(string output) =>
        double.Parse(LatencyLine().Match(output).Groups[1].Value, CultureInfo.InvariantCulture);

    [GeneratedRegex(@"predicted latency: (\d+\.\d\d) ms")]
    private static partial Regex LatencyLine();
}
