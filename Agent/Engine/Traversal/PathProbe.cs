using HamachiCloud.Agent.Engine.IO;

namespace HamachiCloud.Agent.Engine.Traversal;

/// <summary>A disco ping to send: to <paramref name="To"/> with transaction id <paramref name="TxId"/>.</summary>
public readonly record struct PathProbe(NetEndpoint To, UInt128 TxId);
