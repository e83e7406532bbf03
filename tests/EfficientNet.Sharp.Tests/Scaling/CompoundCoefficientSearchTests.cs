using EfficientNet.Sharp.Scaling;
using EfficientNet.Sharp.Specs;

namespace EfficientNet.Sharp.Tests.Scaling;

public class CompoundCoefficientSearchTests
{
    [Test]
    public void Search_RanksTheGridThatMeetsTheConstraint()
    {
        // A synthetic scorer that prefers the paper's coefficients.
        static double Score(CompoundCoefficients c, NetworkSpec _) => -(Math.Abs(c.Alpha - 1.2) + Math.Abs(c.Beta - 1.1) + Math.Abs(c.Gamma - 1.15));

        IReadOnlyList<CoefficientScore> ranked = CompoundCoefficientSearch.Run(Score);

        int expectedCount = 0;
        for (int a = 0; a <= 20; a++)
        {
            for (int b = 0; b <= 20; b++)
            {
                for (int g = 0; g <= 20; g++)
                {
                    double alpha = 1 + (0.05 * a), beta = 1 + (0.05 * b), gamma = 1 + (0.05 * g);
                    expectedCount += Math.Abs((alpha * beta * beta * gamma * gamma) - 2) <= 0.1 ? 1 : 0;
                }
            }
        }

        using (Assert.EnterMultipleScope())
        {
            Assert.That(ranked, Has.Count.EqualTo(expectedCount));
            Assert.That(ranked[0].Coefficients, Is.EqualTo(new CompoundCoefficients(1.2, 1.1, 1.15)));
            Assert.That(ranked.Select(r => r.Score), Is.Ordered.Descending);
            Assert.That(ranked.Select(r => Math.Abs(r.Coefficients.FlopsFactor - 2)), Is.All.LessThanOrEqualTo(0.1 + 1e-12));
            Assert.That(ranked.Select(r => Math.Min(r.Coefficients.Alpha, Math.Min(r.Coefficients.Beta, r.Coefficients.Gamma))), Is.All.GreaterThanOrEqualTo(1));
            Assert.That(ranked[0].Spec.Scaling!.Phi, Is.EqualTo(1));
            Assert.That(ranked[0].Spec.Scaling!.Coefficients, Is.EqualTo(ranked[0].Coefficients));
        }
    }

    [Test]
    public void Search_TightToleranceKeepsFewerTriples()
    {
        int loose = CompoundCoefficientSearch.Run((_, _) => 0, tolerance: 0.2).Count;
        int tight = CompoundCoefficientSearch.Run((_, _) => 0, tolerance: 0.02).Count;

        Assert.That(tight, Is.GreaterThan(0));
        Assert.That(tight, Is.LessThan(loose));
    }

    [Test]
    public void Search_ScoresTheNetworkTheCoefficientsGive()
    {
        // Score by depth multiplier: the winner is the deepest triple allowed.
        IReadOnlyList<CoefficientScore> ranked = CompoundCoefficientSearch.Run((_, spec) => spec.BlockCount, step: 0.1);

        Assert.That(ranked[0].Spec.BlockCount, Is.EqualTo(ranked.Max(r => r.Spec.BlockCount)));
        Assert.That(ranked[0].Coefficients.Alpha, Is.GreaterThanOrEqualTo(1.8));
    }

    [TestCase(0.0, 2.0, 2.0, 0.1, "step")]
    [TestCase(0.05, 0.5, 2.0, 0.1, "maxFactor")]
    [TestCase(0.05, 2.0, 1.0, 0.1, "targetFlopsFactor")]
    [TestCase(0.05, 2.0, 2.0, -1.0, "tolerance")]
    public void Search_RejectsBadGrids(double step, double maxFactor, double target, double tolerance, string parameter)
    {
        Assert.That(
            () => CompoundCoefficientSearch.Run((_, _) => 0, step, maxFactor, target, tolerance),
            Throws.InstanceOf<ArgumentOutOfRangeException>().With.Property("ParamName").EqualTo(parameter));
    }
}
