using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace HamachiCloud.Relay.Core;

/// <summary>
/// Where a frame came from: a UDP source address (<see cref="ConnectionId"/> 0) or a WebSocket connection (its id,
/// with the client's remote address for ban checks). A plain value (address bytes, port, family, scope id,
/// connection id): built from a received <see cref="SocketAddress"/> without allocating, equal by exact address
/// family + address + port (+ scope id) + connection id, so an IPv4 source and the same IPv4 address mapped into
/// IPv6 (::ffff:a.b.c.d) are different sources, as two different socket addresses are.
/// </summary>
public readonly struct RelaySource : IEquatable<RelaySource>
{
    private const ulong MappedPrefix = 0x0000_FFFF_0000_0000UL;

    // The address as 16 bytes big-endian (an IPv4 address as ::ffff:a.b.c.d), read as two 64-bit halves.
    private readonly ulong _high;
    private readonly ulong _low;
    private readonly uint _scopeId;
    private readonly ushort _port;
    private readonly bool _isIPv6;

    private RelaySource(ulong high, ulong low, bool isIPv6, ushort port, uint scopeId, long connectionId)
    {
        _high = high;
        _low = low;
        _isIPv6 = isIPv6;
        _port = port;
        _scopeId = scopeId;
        ConnectionId = connectionId;
    }

    public RelaySource(IPEndPoint endpoint, long connectionId)
    {
        Span<byte> bytes = stackalloc byte[16];
        var address = endpoint.Address;
        _isIPv6 = address.AddressFamily == AddressFamily.InterNetworkV6;
        if (_isIPv6)
        {
            address.TryWriteBytes(bytes, out _);
            _scopeId = (uint)address.ScopeId;
        }
        else
        {
            address.MapToIPv6().TryWriteBytes(bytes, out _);
        }

        _high = BinaryPrimitives.ReadUInt64BigEndian(bytes);
        _low = BinaryPrimitives.ReadUInt64BigEndian(bytes[8..]);
        _port = (ushort)endpoint.Port;
        ConnectionId = connectionId;
    }

    public long ConnectionId { get; }

    public bool IsWebSocket => ConnectionId != 0;

    public int Port => _port;

    /// <summary>True for an IPv4 address or an IPv4-mapped IPv6 address (bans on IPv4 ranges apply to both).</summary>
    internal bool IsIPv4Like => !_isIPv6 || _high == 0 && (_low & 0xFFFF_FFFF_0000_0000UL) == MappedPrefix;

    /// <summary>The address as two big-endian halves of its 16-byte form (IPv4 as ::ffff:a.b.c.d).</summary>
    internal (ulong High, ulong Low) Address128 => (_high, _low);

    /// <summary>The source as an endpoint (allocates: for logs, tests and the STUN path, not per relayed datagram).</summary>
    public IPEndPoint Endpoint
    {
        get
        {
            Span<byte> bytes = stackalloc byte[16];
            BinaryPrimitives.WriteUInt64BigEndian(bytes, _high);
            BinaryPrimitives.WriteUInt64BigEndian(bytes[8..], _low);
            var address = _isIPv6 ? new IPAddress(bytes, _scopeId) : new IPAddress(bytes[12..]);
            return new IPEndPoint(address, _port);
        }
    }

    /// <summary>Bytes written by <see cref="WriteIdentity"/>.</summary>
    internal const int IdentitySize = 16 + 2 + 1 + 4 + 8;

    public static RelaySource Udp(IPEndPoint endpoint) => new(endpoint, 0);

    /// <summary>Writes everything equality compares (address, port, family, scope id, connection id), e.g. to bind a cookie to this source.</summary>
    internal void WriteIdentity(Span<byte> destination)
    {
        BinaryPrimitives.WriteUInt64BigEndian(destination, _high);
        BinaryPrimitives.WriteUInt64BigEndian(destination[8..], _low);
        BinaryPrimitives.WriteUInt16BigEndian(destination[16..], _port);
        destination[18] = _isIPv6 ? (byte)6 : (byte)4;
        BinaryPrimitives.WriteUInt32BigEndian(destination[19..], _scopeId);
        BinaryPrimitives.WriteInt64BigEndian(destination[23..], ConnectionId);
    }

    /// <summary>
    /// Reads a UDP source from a received socket address (IPv4 or IPv6; port at offset 2, IPv4 address at 4, IPv6
    /// flow info at 4, address at 8 and scope id (host order) at 24, as in sockaddr_in / sockaddr_in6). False for other families
    /// or a short address.
    /// </summary>
    public static bool TryUdp(SocketAddress address, out RelaySource source)
    {
        var bytes = address.Buffer.Span[..address.Size];
        switch (address.Family)
        {
            case AddressFamily.InterNetwork when bytes.Length >= 8:
                source = new RelaySource(0, MappedPrefix | BinaryPrimitives.ReadUInt32BigEndian(bytes[4..]), false,
                    BinaryPrimitives.ReadUInt16BigEndian(bytes[2..]), 0, 0);
                return true;
            case AddressFamily.InterNetworkV6 when bytes.Length >= 28:
                source = new RelaySource(BinaryPrimitives.ReadUInt64BigEndian(bytes[8..]), BinaryPrimitives.ReadUInt64BigEndian(bytes[16..]), true,
                    BinaryPrimitives.ReadUInt16BigEndian(bytes[2..]), MemoryMarshal.Read<uint>(bytes[24..]), 0);
                return true;
            default:
                source = default;
                return false;
        }
    }

    /// <summary>
    /// Writes this UDP source into <paramref name="address"/> (made for the sending socket's family, reused across
    /// calls) for <c>Socket.SendTo</c>. False when the families differ (the source did not come from that socket).
    /// </summary>
    public bool TryWriteTo(SocketAddress address)
    {
        var family = _isIPv6 ? AddressFamily.InterNetworkV6 : AddressFamily.InterNetwork;
        if (address.Family != family)
        {
            return false;
        }

        var size = SocketAddress.GetMaximumAddressSize(family);
        address.Size = size;
        var bytes = address.Buffer.Span[..size];
        bytes[2..].Clear();
        BinaryPrimitives.WriteUInt16BigEndian(bytes[2..], _port);
        if (_isIPv6)
        {
            BinaryPrimitives.WriteUInt64BigEndian(bytes[8..], _high);
            BinaryPrimitives.WriteUInt64BigEndian(bytes[16..], _low);
            var scopeId = _scopeId;
            MemoryMarshal.Write(bytes[24..], in scopeId);
        }
        else
        {
            BinaryPrimitives.WriteUInt32BigEndian(bytes[4..], (uint)_low);
        }

        return true;
    }

    public bool Equals(RelaySource other) =>
        _high == other._high && _low == other._low && _port == other._port && _isIPv6 == other._isIPv6 && _scopeId == other._scopeId
        && ConnectionId == other.ConnectionId;

    public override bool Equals(object? obj) => obj is RelaySource other && Equals(other);

    public override int GetHashCode() => HashCode.Combine(_high, _low, _port, _isIPv6, _scopeId, ConnectionId);

    public static bool operator ==(RelaySource left, RelaySource right) => left.Equals(right);

    public static bool operator !=(RelaySource left, RelaySource right) => !left.Equals(right);

    public override string ToString() => IsWebSocket ? $"ws#{ConnectionId}({Endpoint})" : $"udp({Endpoint})";
}
