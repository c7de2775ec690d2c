using HamachiCloud.Agent.Engine.IO;

namespace HamachiCloud.Agent.Engine.Traversal;

/// <summary>
/// The endpoint the WireGuard device sees for "peer P through relay R": an address in the IPv6
/// discard-only prefix 0100::/64 (RFC 6666), never a real destination:
/// <c>0100:0000:0000:0000 | relay index u32 | peer index u32</c>, port 1. <see cref="SocketMux"/>
/// turns datagrams to it into relay Send frames and relay Recv frames into datagrams from it.
/// </summary>
public static class VirtualEndpoint
{
    private const ulong Prefix = 0x0100_0000_0000_0000UL;

    public static NetEndpoint For(int relayIndex, int peerIndex) =>
        new(((UInt128)Prefix << 64) | ((UInt128)(uint)relayIndex << 32) | (uint)peerIndex, 1);

    /// <summary>One comparison: used on every outbound batch.</summary>
    public static bool IsVirtual(NetEndpoint endpoint) => (ulong)(endpoint.Address >> 64) == Prefix;

    public static (int Relay, int Peer) Decode(NetEndpoint endpoint) =>
        ((int)(uint)(endpoint.Address >> 32), (int)(uint)endpoint.Address);
}
