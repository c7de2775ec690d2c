using System.Collections.Concurrent;
using System.Security.Cryptography;
using HamachiCloud.Protocol.WireGuard;

namespace HamachiCloud.Agent.Engine.Peers;

/// <summary>
/// Our random 32-bit session indexes (wireguard-go's IndexTable): each names either a pending
/// handshake of a peer (session null) or one of its sessions. Responses and cookie replies are routed
/// by their receiver index to the peer whose handshake is pending; transport messages to the session.
/// Thread-safe; lookups allocate nothing.
/// </summary>
internal sealed class SessionIndexTable
{
    private readonly ConcurrentDictionary<uint, (Peer Peer, TransportSession? Session)> _entries = new();

    public int Count => _entries.Count;

    /// <summary>A fresh random non-zero index bound to <paramref name="peer"/>'s pending handshake.</summary>
    public uint AllocateHandshake(Peer peer)
    {
        Span<byte> bytes = stackalloc byte[4];
        while (true)
        {
            RandomNumberGenerator.Fill(bytes);
            var index = BitConverter.ToUInt32(bytes);
            if (index != 0 && _entries.TryAdd(index, (peer, null)))
            {
                return index;
            }
        }
    }

    /// <summary>Points <paramref name="index"/> (allocated before) at a derived session.</summary>
    public void BindSession(uint index, Peer peer, TransportSession session) => _entries[index] = (peer, session);

    public bool TryGet(uint index, out Peer peer, out TransportSession? session)
    {
        if (_entries.TryGetValue(index, out var entry))
        {
            (peer, session) = entry;
            return true;
        }

        peer = null!;
        session = null;
        return false;
    }

    public void Remove(uint index)
    {
        if (index != 0)
        {
            _entries.TryRemove(index, out _);
        }
    }
}
