namespace HamachiCloud.Relay.Tests;

/// <summary>Rate measurements run alone (no other test class of this assembly in parallel).</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TimingCollection
{
    public const string Name = "relay timing";
}
