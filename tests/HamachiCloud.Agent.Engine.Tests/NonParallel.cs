namespace HamachiCloud.Agent.Engine.Tests;

/// <summary>Tests that measure the process heap run alone: other tests' allocations would blur the measure.</summary>
[CollectionDefinition(nameof(NonParallel), DisableParallelization = true)]
public sealed class NonParallel;
