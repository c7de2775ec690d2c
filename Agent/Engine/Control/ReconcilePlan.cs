using HamachiCloud.Agent.Engine.Config;
using HamachiCloud.Protocol.Crypto;

namespace HamachiCloud.Agent.Engine.Control;

/// <summary>What to do to the data plane: add or replace these peers, remove those; <see cref="Skipped"/> names unusable records.</summary>
public sealed record ReconcilePlan(IReadOnlyList<PeerConfig> Upserts, IReadOnlyList<NodeKey> Removals, IReadOnlyList<string> Skipped)
{
    public bool IsEmpty => Upserts.Count == 0 && Removals.Count == 0;
}
