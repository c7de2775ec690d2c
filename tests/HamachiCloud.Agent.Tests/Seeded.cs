namespace HamachiCloud.Agent.Tests;

/// <summary>Seeded System.Random for tests (the test is the composition root that injects it).</summary>
internal static class Seeded
{
#pragma warning disable RS0030 // a fixed seed is the point: failing runs repeat exactly
    public static Random Random(int seed) => new(seed);
#pragma warning restore RS0030
}
