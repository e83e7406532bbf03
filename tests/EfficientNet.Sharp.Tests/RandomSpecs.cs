using EfficientNet.Sharp.Specs;

namespace EfficientNet.Sharp.Tests;

/// <summary>Small, valid, deliberately irregular specs (odd channel counts, every block kind in any set of at least as many specs as there are kinds) from a fixed seed.</summary>
internal static class RandomSpecs
{
    public static IEnumerable<NetworkSpec> Generate(int count, int seed)
    {
        var random = new Random(seed);
        for (int i = 0; i < count; i++)
        {
            yield return Next(random, i);
        }
    }

    private static NetworkSpec Next(Random random, int index)
    {
        int stemChannels = random.Next(3, 33);
        int channels = stemChannels;
        var stages = new List<StageSpec>();
        int stageCount = random.Next(1, 5);
        for (int s = 0; s < stageCount; s++)
        {
            // Every kind the enum has, so a new kind is drawn (and must be handled everywhere) without editing this file;
            // spec i starts with kind i (mod their number), so any set of at least that many specs holds every kind.
            BlockKind[] kinds = Enum.GetValues<BlockKind>();
            BlockKind kind = s == 0 ? kinds[index % kinds.Length] : kinds[random.Next(kinds.Length)];
            int output = random.Next(4, 41);
            stages.Add(new StageSpec(
                kind,
                ExpandRatio: !BlockSpec.CanExpandOf(kind) ? 1 : new[] { 1.0, 2.5, 4.0, 6.0 }[random.Next(4)],
                KernelSize: new[] { 1, 3, 5, 7 }[random.Next(4)],
                Stride: random.Next(1, 3),
                InChannels: channels,
                OutChannels: random.Next(2) == 0 ? channels : output,
                Repeats: random.Next(1, 4),
                SqueezeRatio: BlockSpec.HasSqueezeExcitationOf(kind) && random.Next(2) == 0 ? 0.25 : 0,
                Activation: (ActivationKind)random.Next(1, 5)));
            channels = stages[^1].OutChannels;
        }

        return new NetworkSpec
        {
            Name = $"random_{index}",
            Family = NetworkFamily.EfficientNet,
            Resolution = 64,
            InputChannels = random.Next(1, 5),
            Stem = new StemSpec(stemChannels, new[] { 1, 3, 5 }[random.Next(3)], random.Next(1, 3), ActivationKind.SiLU),
            Stages = stages,
            Head = random.Next(2) == 0 ? null : new HeadSpec(random.Next(8, 129), ActivationKind.ReLU6),
            // One in five headless (no classifier), so every consumer of a spec meets that case too.
            Classifier = new ClassifierSpec(random.Next(5) == 0 ? 0 : random.Next(1, 21), 0.1, ClassifierInitialization.UniformByOutFeatures),
            Layout = random.Next(2) == 0 ? FeatureLayout.FlatBlocks : FeatureLayout.StageSequentials,
            StochasticDepthRate = 0.1,
        };
    }
}
