using EfficientNet.Sharp.Models;
using EfficientNet.Sharp.Profiles;
using EfficientNet.Sharp.Specs;

namespace EfficientNet.Sharp.Tests.Profiles;

public class LatencyPredictorTests
{
    private static readonly DeviceProfile PowerLaw = SyntheticProfiles.PowerLaw();

    private static NetworkSpec Spec(string model, double? width = null, double? depth = null, int? resolution = null) =>
        ModelRegistry.Get(model).BuildSpec(new ModelOverrides { Width = width, Depth = depth, Resolution = resolution });

    // Interpolation in log–log space is exact for a power law along every axis where work is a power of the size:
    // channels, and the map size of stride-1 kernels. Off-grid sizes (0.83 width, 187 px) make every kernel interpolated.
    [TestCase("efficientnet_b0", 0.83, 1.3, 187)]
    [TestCase("mobilenet_v2", 1.17, null, 203)]
    [TestCase("mobilenet_v3_large", 0.61, null, 149)]
    [TestCase("efficientnet_v2_s", 0.45, 0.7, 117)]
    public void StrideOneKernels_OffTheGrid_FollowAPowerLawExactly(string model, double width, double? depth, int resolution)
    {
        LatencyPrediction prediction = new LatencyPredictor(PowerLaw).Predict(Spec(model, width, depth, resolution));

        KernelPrediction[] strideOne = [.. prediction.Kernels.Where(kernel => kernel.Shape.Stride == 1 && kernel.Shape.Kind is KernelKind.PointwiseConvolution or KernelKind.DepthwiseConvolution or KernelKind.DenseConvolution)];
        Assert.That(strideOne, Has.Length.GreaterThan(10));
        Assert.That(prediction.Extrapolated, Is.Empty);
        foreach (KernelPrediction kernel in strideOne)
        {
            Assert.That(kernel.Milliseconds, Is.EqualTo(SyntheticProfiles.PowerLaw(kernel.Shape)).Within(1e-9).Percent, kernel.Shape.ToString());
        }
    }

    // Stride-2 kernels work on ⌈size / 2⌉, which is not a power of the size; odd sizes stay within a few percent.
    [Test]
    public void StrideTwoKernels_OffTheGrid_AreCloseToThePowerLaw()
    {
        LatencyPrediction prediction = new LatencyPredictor(PowerLaw).Predict(Spec("efficientnet_b0", 0.83, 1.3, 187));

        foreach (KernelPrediction kernel in prediction.Kernels.Where(kernel => kernel.Shape.Stride == 2))
        {
            Assert.That(kernel.Milliseconds / SyntheticProfiles.PowerLaw(kernel.Shape), Is.EqualTo(1).Within(0.06), kernel.Shape.ToString());
        }
    }

    [Test]
    public void ThePrediction_IsTheSumOfItsKernelsAndOfItsParts()
    {
        LatencyPrediction prediction = new LatencyPredictor(PowerLaw).Predict(Spec("efficientnet_b0"));

        Assert.That(prediction.Milliseconds, Is.EqualTo(prediction.Kernels.Sum(kernel => kernel.Milliseconds)).Within(1e-9));
        Assert.That(prediction.Parts.Sum(part => part.Milliseconds), Is.EqualTo(prediction.Milliseconds).Within(1e-9));
        Assert.That(prediction.Parts.Select(part => part.Part), Is.EqualTo(new[] { "runtime", "stem", "stage 1", "stage 2", "stage 3", "stage 4", "stage 5", "stage 6", "stage 7", "head", "classifier" }));
        Assert.That(prediction.Parts[0].Milliseconds, Is.EqualTo(SyntheticProfiles.OverheadMilliseconds));
    }

    // The suite is designed so that every registered family, at the widths, depths and resolutions it is scaled to,
    // interpolates between measured kernels: nothing is extrapolated anywhere in that range, off-grid values included.
    [Test]
    public void EveryRegisteredModel_InTheDesignRange_IsInterpolatedNotExtrapolated()
    {
        foreach (int multiple in new[] { 1, 4, 8 })
        {
            var predictor = new LatencyPredictor(SyntheticProfiles.PowerLaw(multiple));
            foreach (RegisteredModel model in ModelRegistry.All)
            {
                foreach (double? width in model.ScalesWidth ? new double?[] { 0.35, 0.83, 1.4 } : [null])
                {
                    foreach (double? depth in model.ScalesDepth ? new double?[] { 0.5, 1.7, 2.0 } : [null])
                    {
                        foreach (int resolution in new[] { 96, 173, 320 })
                        {
                            NetworkSpec spec = model.BuildSpec(new ModelOverrides { Width = width, Depth = depth, Resolution = resolution });
                            Assert.That(predictor.Predict(spec).Extrapolated, Is.Empty, $"{model.Name} w{width} d{depth} r{resolution}, channel multiple {multiple}");
                        }
                    }
                }
            }
        }
    }

    [Test]
    public void AResolutionOutsideTheGrid_IsPredictedAndSaysWhichKernelsAreExtrapolated()
    {
        var predictor = new LatencyPredictor(PowerLaw);
        LatencyPrediction inside = predictor.Predict(Spec("mobilenet_v2", resolution: 320));
        LatencyPrediction outside = predictor.Predict(Spec("mobilenet_v2", resolution: 640));

        Assert.That(inside.Extrapolated, Is.Empty);
        Assert.That(inside.Caveats, Is.Empty);
        Assert.That(outside.Extrapolated, Is.Not.Empty);
        Assert.That(outside.Caveats, Has.One.StartsWith($"{outside.Extrapolated.Count} of its kernels lie outside the profile's grid").And.Contain("within ±25 %"));
        Assert.That(outside.Extrapolated, Has.Some.Matches<KernelShape>(shape => shape.Size > 320));
        Assert.That(outside.Kernels.Where(kernel => kernel.Extrapolated).Select(kernel => kernel.Shape).Distinct(), Is.EquivalentTo(outside.Extrapolated));

        // Extrapolation scales the nearest measured kernel by work: about 4× the pixels, between 3× and 4.5× the time (the classifier does not grow).
        Assert.That(outside.Milliseconds / inside.Milliseconds, Is.InRange(3.0, 4.5));
    }

    [Test]
    public void AMissingCorner_IsExtrapolatedFromTheNearestKernelOfItsKind()
    {
        // Without the pointwise kernels at 24 px, every pointwise kernel interpolated from them is extrapolated.
        DeviceProfile holed = SyntheticProfiles.PowerLaw(keep: shape => !(shape.Kind == KernelKind.PointwiseConvolution && shape.Size == 24));
        LatencyPrediction prediction = new LatencyPredictor(holed).Predict(Spec("mobilenet_v2", 1.0, null, 320));

        Assert.That(prediction.Extrapolated, Is.Not.Empty);
        Assert.That(prediction.Extrapolated, Has.All.Matches<KernelShape>(shape => shape.Kind == KernelKind.PointwiseConvolution && shape.Size is > 16 and < 32));
        foreach (KernelPrediction kernel in prediction.Kernels.Where(kernel => kernel.Extrapolated))
        {
            // Work scaling along a power law of exponent 0.9 is off by the ratio's 0.1 power: within 10 % here.
            Assert.That(kernel.Milliseconds / SyntheticProfiles.PowerLaw(kernel.Shape), Is.EqualTo(1).Within(0.1), kernel.Shape.ToString());
        }
    }

    [Test]
    public void AProfileWithoutAKernelFamily_RefusesNamingTheKernel()
    {
        DeviceProfile noHardswish = SyntheticProfiles.PowerLaw(keep: shape => shape.Kind != KernelKind.Hardswish);
        var predictor = new LatencyPredictor(noHardswish);

        Assert.That(predictor.Predict(Spec("efficientnet_b0")).Milliseconds, Is.GreaterThan(0));
        InvalidOperationException error = Assert.Throws<InvalidOperationException>(() => predictor.Predict(Spec("mobilenet_v3_small")))!;
        Assert.That(error.Message, Does.Contain("Hardswish"));
    }

    [Test]
    public void AnotherThreadCount_IsRefused()
    {
        var predictor = new LatencyPredictor(PowerLaw);

        Assert.That(predictor.Predict(Spec("mobilenet_v2"), threads: 2).Milliseconds, Is.GreaterThan(0));
        ArgumentException error = Assert.Throws<ArgumentException>(() => predictor.Predict(Spec("mobilenet_v2"), threads: 4))!;
        Assert.That(error.ParamName, Is.EqualTo("threads"));
        Assert.That(error.Message, Does.Contain("2 threads").And.Contain("not 4"));
    }

    [Test]
    public void CalibrationNetworks_ScaleKernelsButNotTheOverhead()
    {
        // Calibration networks measured at 1.25 × their kernel sum plus the overhead: the scale found is 1.25.
        var unscaled = new LatencyPredictor(PowerLaw);
        CalibrationNetwork[] calibration =
        [
            .. KernelSuite.CalibrationDesign().Select(network =>
            {
                NetworkSpec spec = Spec(network.Model, network.Width, network.Depth, network.Resolution);
                double kernels = unscaled.Predict(spec).Milliseconds - SyntheticProfiles.OverheadMilliseconds;
                return new CalibrationNetwork(network.Model, network.Width, network.Depth, network.Resolution, SyntheticProfiles.OverheadMilliseconds + (1.25 * kernels));
            }),
        ];
        var calibrated = new LatencyPredictor(SyntheticProfiles.PowerLaw(calibration: calibration));

        Assert.That(unscaled.KernelScale, Is.EqualTo(1));
        Assert.That(calibrated.KernelScale, Is.EqualTo(1.25).Within(1e-9));
        NetworkSpec heldOut = Spec("efficientnet_b3", 0.9, 1.2, 200);
        Assert.That(
            calibrated.Predict(heldOut).Milliseconds - SyntheticProfiles.OverheadMilliseconds,
            Is.EqualTo(1.25 * (unscaled.Predict(heldOut).Milliseconds - SyntheticProfiles.OverheadMilliseconds)).Within(1e-9).Percent);
    }

    [Test]
    public void ACalibrationNetworkThisVersionDoesNotKnow_IsSkipped()
    {
        DeviceProfile profile = SyntheticProfiles.PowerLaw(calibration: [new CalibrationNetwork("resnet_50", null, null, 224, 40)]);
        Assert.That(new LatencyPredictor(profile).KernelScale, Is.EqualTo(1));
    }

    // Unaligned depthwise convolutions are looked up as their own variant: a profile where they cost 5× gives 5×.
    [Test]
    public void UnalignedDepthwiseChannels_AreLookedUpAsTheirOwnVariant()
    {
        DeviceProfile slowUnaligned = PowerLaw with
        {
            Kernels = [.. PowerLaw.Kernels.Select(kernel => kernel.Shape.Variant == "unaligned" ? kernel with { Milliseconds = 5 * kernel.Milliseconds } : kernel)],
        };
        // MobileNetV1 truncates scaled channels (0.83 × 32 = 26), where the other families round to multiples of 8.
        LatencyPrediction prediction = new LatencyPredictor(slowUnaligned).Predict(Spec("mobilenet_v1", 0.83, null, 187));

        KernelPrediction[] depthwise = [.. prediction.Kernels.Where(kernel => kernel.Shape.Kind == KernelKind.DepthwiseConvolution && kernel.Shape.Stride == 1)];
        Assert.That(depthwise.Select(kernel => kernel.Shape.InChannels % 4 != 0).Distinct().Count(), Is.EqualTo(2), "both aligned and unaligned channel counts");
        foreach (KernelPrediction kernel in depthwise)
        {
            double expected = SyntheticProfiles.PowerLaw(kernel.Shape) * (kernel.Shape.InChannels % 4 == 0 ? 1 : 5);
            Assert.That(kernel.Milliseconds, Is.EqualTo(expected).Within(1e-9).Percent, kernel.Shape.ToString());
        }
    }

    /// <summary>An int8 profile says its predictions are rough; a float profile says nothing.</summary>
    [Test]
    public void Int8Profile_StatesWhatItMisses()
    {
        DeviceProfile floatProfile = SyntheticProfiles.PowerLaw();
        DeviceProfile int8Profile = floatProfile with { Device = floatProfile.Device with { Precision = "int8" } };
        NetworkSpec b0 = ModelRegistry.Get("efficientnet_b0").Spec;

        Assert.That(new LatencyPredictor(floatProfile).Predict(b0).Caveats, Is.Empty);
        Assert.That(new LatencyPredictor(int8Profile).Predict(b0).Caveats, Has.One.Contain("scale per family").And.Contain("within ±25 %"));
    }

    /// <summary>
    /// An int8 profile scales each family by its own calibration networks (their int8 files differ in kind: float
    /// islands or integer chains), so it reproduces each of them; a float profile keeps one scale for all.
    /// </summary>
    [Test]
    public void EachFamily_IsCalibratedOnItsOwnNetworks_FloatAndInt8()
    {
        var uncalibrated = new LatencyPredictor(SyntheticProfiles.PowerLaw());
        NetworkSpec b0 = ModelRegistry.Get("efficientnet_b0").Spec, v2 = ModelRegistry.Get("mobilenet_v2").Spec, small = ModelRegistry.Get("mobilenet_v3_small").Spec;
        double b0Alone = uncalibrated.Predict(b0).Milliseconds, v2Alone = uncalibrated.Predict(v2).Milliseconds;
        CalibrationNetwork[] calibration = [new("efficientnet_b0", null, null, 224, 2 * b0Alone), new("mobilenet_v2", null, null, 224, 0.5 * v2Alone)];
        DeviceProfile floatProfile = SyntheticProfiles.PowerLaw(calibration: calibration);
        DeviceProfile int8Profile = floatProfile with { Device = floatProfile.Device with { Precision = "int8" } };

        foreach (DeviceProfile profile in new[] { floatProfile, int8Profile })
        {
            var predictor = new LatencyPredictor(profile);
            Assert.That(predictor.Predict(b0).Milliseconds, Is.EqualTo(2 * b0Alone).Within(0.02).Percent, profile.Device.Precision);
            Assert.That(predictor.Predict(v2).Milliseconds, Is.EqualTo(0.5 * v2Alone).Within(0.02).Percent, profile.Device.Precision);

            // A family without calibration networks takes the device-wide scale: the median of about 2 and 0.5 (their geometric mean).
            Assert.That(predictor.KernelScale, Is.EqualTo(1).Within(3).Percent);
            double smallAlone = uncalibrated.Predict(small).Milliseconds - SyntheticProfiles.OverheadMilliseconds;
            Assert.That(predictor.Predict(small).Milliseconds, Is.EqualTo(SyntheticProfiles.OverheadMilliseconds + (predictor.KernelScale * smallAlone)).Within(1e-6).Percent, profile.Device.Precision);
        }
    }

    /// <summary>
    /// In an int8 profile (a calibration without savings) a family's scale follows its calibration networks'
    /// resolution: each is reproduced, a network between them takes the scale of its resolution on the line through
    /// them in log–log, and one beyond them the nearest one's (no extrapolation).
    /// </summary>
    [Test]
    public void AnInt8FamilysScale_FollowsItsCalibrationNetworksResolution_WithoutExtrapolating()
    {
        var uncalibrated = new LatencyPredictor(SyntheticProfiles.PowerLaw());
        double Alone(NetworkSpec spec) => uncalibrated.Predict(spec).Milliseconds - SyntheticProfiles.OverheadMilliseconds;
        NetworkSpec small = Spec("mobilenet_v2", 0.5, null, 128), large = Spec("mobilenet_v2", 1.0, null, 224);
        const double smallScale = 1.3, largeScale = 0.85;
        CalibrationNetwork[] calibration =
        [
            new("mobilenet_v2", 0.5, null, 128, SyntheticProfiles.OverheadMilliseconds + (smallScale * Alone(small))),
            new("mobilenet_v2", 1.0, null, 224, SyntheticProfiles.OverheadMilliseconds + (largeScale * Alone(large))),
        ];
        DeviceProfile bare = SyntheticProfiles.PowerLaw(calibration: calibration);
        var predictor = new LatencyPredictor(bare with { Device = bare.Device with { Precision = "int8" } });
        double Scale(NetworkSpec spec) => (predictor.Predict(spec).Milliseconds - SyntheticProfiles.OverheadMilliseconds) / Alone(spec);

        Assert.That(Scale(small), Is.EqualTo(smallScale).Within(1e-6).Percent);
        Assert.That(Scale(large), Is.EqualTo(largeScale).Within(1e-6).Percent);
        NetworkSpec between = Spec("mobilenet_v2", 1.4, null, 176);
        double place = Math.Log(176.0 / 128) / Math.Log(224.0 / 128);
        double placeBySize = Math.Log(Alone(between) / Alone(small)) / Math.Log(Alone(large) / Alone(small));
        Assert.That(placeBySize, Is.Not.InRange(place - 0.2, place + 0.2), "wider than both, the network is not where its resolution is by size");
        Assert.That(Scale(between), Is.EqualTo(smallScale * Math.Pow(largeScale / smallScale, place)).Within(1e-6).Percent);
        Assert.That(Scale(Spec("mobilenet_v2", 1.4, null, 96)), Is.EqualTo(smallScale).Within(1e-6).Percent, "below both resolutions");
        Assert.That(Scale(Spec("mobilenet_v2", 0.35, null, 320)), Is.EqualTo(largeScale).Within(1e-6).Percent, "above both resolutions");
    }

    /// <summary>An int8 profile scales every kernel by its scale, its blocked-layout multiple notwithstanding (unblocked convolutions too).</summary>
    [Test]
    public void AnInt8Profile_ScalesEveryKernel_WhateverItsBlockedMultiple()
    {
        var uncalibrated = new LatencyPredictor(SyntheticProfiles.PowerLaw());
        NetworkSpec v2 = ModelRegistry.Get("mobilenet_v2").Spec, v1 = Spec("mobilenet_v1", 0.83, null, 187);
        DeviceProfile bare = SyntheticProfiles.PowerLaw(calibration: [new CalibrationNetwork("mobilenet_v2", null, null, 224, 2 * uncalibrated.Predict(v2).Milliseconds)]);
        DeviceProfile int8 = bare with { Device = bare.Device with { Precision = "int8" }, BlockedLayoutChannelMultiple = 4 };

        var predictor = new LatencyPredictor(int8);
        double v1Alone = uncalibrated.Predict(v1).Milliseconds - SyntheticProfiles.OverheadMilliseconds;

        Assert.That(v1.Blocks.Any(block => block.InChannels % 4 != 0), Is.True, "the network has convolutions off the multiple");
        Assert.That(predictor.Predict(v1).Milliseconds, Is.EqualTo(SyntheticProfiles.OverheadMilliseconds + (predictor.KernelScale * v1Alone)).Within(1e-6).Percent);
    }

    /// <summary>
    /// In an int8 profile the channel multiple also splits integer pointwise and dense convolutions by their input
    /// channels (a profile where the unaligned ones cost 3× gives 3×), while float islands and float profiles keep one variant.
    /// </summary>
    [Test]
    public void AnInt8Profile_LooksUpIntegerConvolutionsOffTheMultiple_AsTheirOwnVariant()
    {
        const int multiple = 16;
        DeviceProfile bare = SyntheticProfiles.PowerLaw(depthwiseChannelMultiple: multiple);
        DeviceProfile Int8(double unalignedFactor) => bare with
        {
            Device = bare.Device with { Precision = "int8" },
            Kernels = [bare.Kernels[0], .. KernelSuite.Design(multiple, int8: true).Select(shape =>
            {
                double law = SyntheticProfiles.PowerLaw(shape) * (shape.Variant == KernelGrid.Unaligned ? unalignedFactor : 1);
                return new KernelMeasurement(shape, law, 0.01 * law, 20);
            })],
        };

        // MobileNetV1 at 0.75 reads 3, 24, 48, 96 … channels: integer throughout, on both sides of 16.
        NetworkSpec v1 = Spec("mobilenet_v1", 0.75, null, 203);
        KernelPrediction[] even = [.. new LatencyPredictor(Int8(1)).Predict(v1).Kernels.Where(kernel => kernel.Shape.IsConvolution)];
        KernelPrediction[] slowUnaligned = [.. new LatencyPredictor(Int8(3)).Predict(v1).Kernels.Where(kernel => kernel.Shape.IsConvolution)];

        Assert.That(even.Select(kernel => kernel.Shape.InChannels % multiple == 0).Distinct().Count(), Is.EqualTo(2), "both sides of the multiple");
        foreach ((KernelPrediction plain, KernelPrediction slow) in even.Zip(slowUnaligned))
        {
            bool unaligned = plain.Shape.InChannels % multiple != 0;
            Assert.That(slow.Milliseconds / plain.Milliseconds, Is.EqualTo(unaligned ? 3 : 1).Within(1e-9).Percent, plain.Shape.ToString());
        }

        // A profile of chosen kernels (DeviceProfiler.MeasureKernels) for a ReLU network holds no float island; its
        // unaligned integer convolutions still mark it as split, and are found.
        DeviceProfile noIslands = Int8(3) with { Kernels = [.. Int8(3).Kernels.Where(kernel => kernel.Shape.Variant != KernelGrid.FloatIsland)] };
        Assert.That(new LatencyPredictor(noIslands).Predict(v1).Milliseconds, Is.EqualTo(new LatencyPredictor(Int8(3)).Predict(v1).Milliseconds).Within(1e-9).Percent);

        var island = new KernelShape(KernelKind.PointwiseConvolution, 83, 83, 26, 1, 1, KernelGrid.FloatIsland);
        Assert.That(new ChannelAlignment(multiple, IntegerConvolutions: true).VariantOf(island).Variant, Is.EqualTo(KernelGrid.FloatIsland));
        Assert.That(new ChannelAlignment(multiple, IntegerConvolutions: false).VariantOf(island with { Variant = "" }).Variant, Is.Empty, "a float profile splits depthwise convolutions only");
        Assert.That(KernelSuite.Design(multiple), Has.None.Matches<KernelShape>(shape => shape.Kind == KernelKind.PointwiseConvolution && shape.Variant == KernelGrid.Unaligned));
    }

    /// <summary>
    /// An int8 profile that timed float islands predicts each convolution of an int8 file in the form the export gives it
    /// (here islands cost three times their integer law); one from before, without them, walks every convolution as integer.
    /// </summary>
    [Test]
    public void AnInt8ProfileWithFloatIslands_PredictsEachConvolutionInItsForm()
    {
        static double Law(KernelShape shape) => SyntheticProfiles.PowerLaw(shape) * (shape.Variant == KernelGrid.FloatIsland ? 3 : 1);
        DeviceProfile bare = SyntheticProfiles.PowerLaw();
        DeviceProfile islands = bare with
        {
            Device = bare.Device with { Precision = "int8" },
            Kernels = [bare.Kernels[0], .. KernelSuite.Design(bare.DepthwiseChannelMultiple, int8: true).Select(shape => new KernelMeasurement(shape, Law(shape), 0.01 * Law(shape), 20))],
        };
        DeviceProfile older = bare with { Device = bare.Device with { Precision = "int8" } };
        NetworkSpec b0 = Spec("efficientnet_b0", 0.8, 1.2, 200);

        KernelPrediction[] kernels = [.. new LatencyPredictor(islands).Predict(b0).Kernels.Where(kernel => kernel.Shape.Kind != KernelKind.RunOverhead)];
        KernelShape[] forms = [.. KernelWalk.Of(b0, b0.Resolution, int8: true).Select(kernel => kernel.Shape).Where(shape => shape.Kind != KernelKind.RunOverhead)];

        Assert.That(kernels.Select(kernel => kernel.Shape.Variant), Is.EqualTo(forms.Select(shape => shape.Variant)));
        Assert.That(kernels.Count(kernel => kernel.Shape.Variant == KernelGrid.FloatIsland), Is.InRange(1, kernels.Length - 1));
        Assert.That(new LatencyPredictor(islands).Predict(b0).Milliseconds, Is.GreaterThan(1.5 * new LatencyPredictor(older).Predict(b0).Milliseconds), "the islands' cost shows");
        Assert.That(new LatencyPredictor(older).Predict(b0).Kernels, Has.None.Matches<KernelPrediction>(kernel => kernel.Shape.Variant == KernelGrid.FloatIsland));
    }

    /// <summary>
    /// Calibration networks that follow the documented form exactly (a scale, a saving per kernel and one per element at
    /// the blocked convolutions' edges, unblocked convolutions at their time alone): the fit recovers the form and
    /// predicts a network of another width, depth and resolution by it.
    /// </summary>
    [TestCase(null)]
    [TestCase(4)]
    public void CalibrationNetworksFollowingTheForm_AreFitted_AndPredictOthersByIt(int? blockedMultiple)
    {
        const double scale = 1.1, perKernel = 0.002, perEdgeElement = 5e-8;
        DeviceProfile bare = SyntheticProfiles.PowerLaw() with { BlockedLayoutChannelMultiple = blockedMultiple };
        var uncalibrated = new LatencyPredictor(bare);
        double Inside(NetworkSpec spec)
        {
            KernelPrediction[] kernels = [.. uncalibrated.Predict(spec).Kernels.Where(kernel => kernel.Shape.Kind != KernelKind.RunOverhead)];
            bool Unblocked(KernelShape shape) => shape.RunsUnblocked(blockedMultiple, block: null);
            return SyntheticProfiles.OverheadMilliseconds
                + kernels.Sum(kernel => Unblocked(kernel.Shape) ? kernel.Milliseconds : (scale * kernel.Milliseconds) - (perEdgeElement * kernel.Shape.EdgeElements))
                - (perKernel * kernels.Length);
        }

        CalibrationNetwork[] calibration = [.. KernelSuite.CalibrationDesign().Select(network =>
            new CalibrationNetwork(network.Model, network.Width, network.Depth, network.Resolution, Inside(Spec(network.Model, network.Width, network.Depth, network.Resolution))))];
        var predictor = new LatencyPredictor(bare with { Calibration = calibration });

        Assert.That(predictor.KernelScale, Is.EqualTo(scale).Within(1e-6).Percent);
        foreach (NetworkSpec heldOut in new[] { Spec("efficientnet_b3", 0.9, 1.2, 200), Spec("mobilenet_v1", 0.83, null, 187), Spec("mobilenet_v3_small", 0.85, null, 240) })
        {
            Assert.That(predictor.Predict(heldOut).Milliseconds, Is.EqualTo(Inside(heldOut)).Within(1e-6).Percent, heldOut.Name);
        }

        // Below its family's calibration networks the savings are not extrapolated: a tiny MobileNetV3-Small gets the
        // factor of the family's smallest calibration network (0.75 at 160 px), more than the form would give it.
        NetworkSpec tiny = Spec("mobilenet_v3_small", 0.35, null, 96);
        double Factor(NetworkSpec spec)
        {
            double[] ratios = [.. predictor.Predict(spec).Kernels.Zip(uncalibrated.Predict(spec).Kernels)
                .Where(pair => pair.First.Shape.Kind != KernelKind.RunOverhead && !pair.First.Shape.RunsUnblocked(blockedMultiple, block: null))
                .Select(pair => pair.First.Milliseconds / pair.Second.Milliseconds)];
            Assert.That(ratios, Is.All.EqualTo(ratios[0]).Within(1e-9).Percent, $"one factor for every scaled kernel of {spec.Name}");
            return ratios[0];
        }

        Assert.That(Factor(tiny), Is.EqualTo(Factor(Spec("mobilenet_v3_small", 0.75, null, 160))).Within(1e-9).Percent);
        Assert.That(predictor.Predict(tiny).Milliseconds, Is.GreaterThan(Inside(tiny)));
    }
}
