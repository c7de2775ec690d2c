using System.Diagnostics.CodeAnalysis;
using System.Net;

namespace HamachiCloud.Protocol.Routing;

/// <summary>
/// WireGuard's cryptokey routing table: IPv4 and IPv6 prefixes mapped to a peer, looked up by longest
/// prefix match. Outbound, it picks the peer for a packet's destination; inbound, it checks that a
/// decrypted packet's source belongs to the peer it came from. A binary trie per family (one node per
/// prefix bit); lookups walk at most 32/128 nodes and allocate nothing. Not thread-safe: the engine swaps
/// whole tables or guards writes.
/// </summary>
/// <typeparam name="TPeer">The peer value; equality (for <see cref="RemoveByPeer"/>) is the default comparer's.</typeparam>
public sealed class AllowedIps<TPeer>
{
    private readonly Node _v4 = new();
    private readonly Node _v6 = new();

    /// <summary>Number of prefixes in the table.</summary>
    public int Count { get; private set; }

    /// <summary>Maps <paramref name="network"/> to <paramref name="peer"/>, replacing any previous owner of that exact prefix.</summary>
    public void Insert(IPNetwork network, TPeer peer)
    {
        Span<byte> address = stackalloc byte[16];
        network.BaseAddress.TryWriteBytes(address, out var length);
        Insert(address[..length], network.PrefixLength, peer);
    }

    /// <summary>Maps the prefix <paramref name="address"/>/<paramref name="prefixLength"/> (4 or 16 bytes; host bits ignored).</summary>
    public void Insert(ReadOnlySpan<byte> address, int prefixLength, TPeer peer)
    {
        var node = RootFor(address, prefixLength);
        for (var i = 0; i < prefixLength; i++)
        {
            var bit = Bit(address, i);
            node = node.Children[bit] ??= new Node();
        }

        if (!node.HasValue)
        {
            Count++;
        }

        node.HasValue = true;
        node.Value = peer;
    }

    /// <summary>Removes the exact prefix <paramref name="network"/>; false if absent.</summary>
    public bool Remove(IPNetwork network)
    {
        Span<byte> address = stackalloc byte[16];
        network.BaseAddress.TryWriteBytes(address, out var length);
        var root = RootFor(address[..length], network.PrefixLength);
        var removed = RemoveExact(root, address[..length], network.PrefixLength, 0);
        if (removed)
        {
            Count--;
        }

        return removed;
    }

    /// <summary>Removes every prefix of <paramref name="peer"/>; returns how many.</summary>
    public int RemoveByPeer(TPeer peer)
    {
        var removed = RemoveWhere(_v4, peer) + RemoveWhere(_v6, peer);
        Count -= removed;
        return removed;
    }

    /// <summary>Longest-prefix match of a 4- or 16-byte address; false when nothing covers it.</summary>
    public bool TryLookup(ReadOnlySpan<byte> address, [MaybeNullWhen(false)] out TPeer peer)
    {
        peer = default;
        Node? node = address.Length switch
        {
            4 => _v4,
            16 => _v6,
            _ => null,
        };
        if (node is null)
        {
            return false;
        }

        var found = false;
        var bits = address.Length * 8;
        for (var i = 0; ; i++)
        {
            if (node.HasValue)
            {
                peer = node.Value!;
                found = true;
            }

            if (i == bits || node.Children[Bit(address, i)] is not { } child)
            {
                return found;
            }

            node = child;
        }
    }

    /// <summary>Longest-prefix match of <paramref name="address"/>.</summary>
    public bool TryLookup(IPAddress address, [MaybeNullWhen(false)] out TPeer peer)
    {
        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out var length);
        return TryLookup(bytes[..length], out peer);
    }

    /// <summary>The prefixes mapped to <paramref name="peer"/> (for display and sync; allocates).</summary>
    public IReadOnlyList<IPNetwork> PrefixesOf(TPeer peer)
    {
        var result = new List<IPNetwork>();
        Collect(_v4, new byte[4], 0, peer, result);
        Collect(_v6, new byte[16], 0, peer, result);
        return result;
    }

    private Node RootFor(ReadOnlySpan<byte> address, int prefixLength)
    {
        var root = address.Length switch
        {
            4 => _v4,
            16 => _v6,
            _ => throw new ArgumentException($"allowed ips: address length {address.Length} is neither 4 nor 16", nameof(address)),
        };
        if (prefixLength < 0 || prefixLength > address.Length * 8)
        {
            throw new ArgumentOutOfRangeException(nameof(prefixLength), prefixLength, $"allowed ips: prefix length out of 0..{address.Length * 8}");
        }

        return root;
    }

    private static int Bit(ReadOnlySpan<byte> address, int index) => (address[index >> 3] >> (7 - (index & 7))) & 1;

    private static bool RemoveExact(Node node, ReadOnlySpan<byte> address, int prefixLength, int depth)
    {
        if (depth == prefixLength)
        {
            if (!node.HasValue)
            {
                return false;
            }

            node.HasValue = false;
            node.Value = default;
            return true;
        }

        var bit = Bit(address, depth);
        if (node.Children[bit] is not { } child || !RemoveExact(child, address, prefixLength, depth + 1))
        {
            return false;
        }

        if (child.IsEmpty)
        {
            node.Children[bit] = null;
        }

        return true;
    }

    private static int RemoveWhere(Node node, TPeer peer)
    {
        var removed = 0;
        if (node.HasValue && EqualityComparer<TPeer>.Default.Equals(node.Value, peer))
        {
            node.HasValue = false;
            node.Value = default;
            removed++;
        }

        for (var bit = 0; bit < 2; bit++)
        {
            if (node.Children[bit] is { } child)
            {
                removed += RemoveWhere(child, peer);
                if (child.IsEmpty)
                {
                    node.Children[bit] = null;
                }
            }
        }

        return removed;
    }

    private static void Collect(Node node, byte[] prefix, int depth, TPeer peer, List<IPNetwork> result)
    {
        if (node.HasValue && EqualityComparer<TPeer>.Default.Equals(node.Value, peer))
        {
            result.Add(new IPNetwork(new IPAddress(prefix), depth));
        }

        for (var bit = 0; bit < 2; bit++)
        {
            if (node.Children[bit] is { } child)
            {
                var mask = (byte)(0x80 >> (depth & 7));
                if (bit == 1)
                {
                    prefix[depth >> 3] |= mask;
                }

                Collect(child, prefix, depth + 1, peer, result);
                prefix[depth >> 3] &= (byte)~mask;
            }
        }
    }

    private sealed class Node
    {
        public Node?[] Children { get; } = new Node?[2];

        public bool HasValue { get; set; }

        public TPeer? Value { get; set; }

        public bool IsEmpty => !HasValue && Children[0] is null && Children[1] is null;
    }
}
