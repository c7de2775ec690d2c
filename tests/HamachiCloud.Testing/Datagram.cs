using HamachiCloud.Agent.Engine.IO;

namespace HamachiCloud.Testing;

/// <summary>One datagram on a <see cref="VirtualNetwork"/>. <see cref="Data"/> is the network's own copy.</summary>
public sealed record Datagram(NetEndpoint From, NetEndpoint To, byte[] Data)
{
    /// <summary>The WireGuard message type byte (1..4), or 0 for an empty datagram.</summary>
    public int Type => Data.Length == 0 ? 0 : Data[0];
}
