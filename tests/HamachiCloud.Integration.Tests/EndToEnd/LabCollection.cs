namespace HamachiCloud.Integration.Tests.EndToEnd;

/// <summary>End-to-end lab tests run one at a time: each runs several agents and a 50 MB transfer on 2 shared cores.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class LabCollection
{
    public const string Name = "lab";
}
