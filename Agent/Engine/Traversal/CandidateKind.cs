using System.Net;
using System.Net.Sockets;
using HamachiCloud.Agent.Engine.IO;

namespace HamachiCloud.Agent.Engine.Traversal;

/// <summary>Where a candidate endpoint came from; lower values are preferred for the direct path.</summary>
public enum CandidateKind
{
    /// <summary>An interface address on a private/LAN range (same LAN wins over everything).</summary>
    Host = 0,

    /// <summary>A public address: the peer's own or its NAT mapping as a server observed it.</summary>
    ServerReflexive = 1,

    /// <summary>Where a peer's ping actually came from (its NAT's mapping towards us).</summary>
    PeerReflexive = 2,

    /// <summary>A port guessed around a server-reflexive mapping (endpoint-dependent NATs).</summary>
    Predicted = 3,
}

/// <summary>A candidate endpoint of a peer and its kind.</summary>
public readonly record struct PathCandidate(NetEndpoint Endpoint, CandidateKind Kind)
{
    /// <summary>Parses "ip:port" from a network map; the kind follows the address range. Null when unusable.</summary>
    public static PathCandidate? Parse(string text)
    {
        if (!IPEndPoint.TryParse(text, out var parsed) || parsed.Port == 0 || IPAddress.IsLoopback(parsed.Address)
            || parsed.Address.Equals(IPAddress.Any) || parsed.Address.Equals(IPAddress.IPv6Any))
        {
            return null;
        }

        var address = parsed.Address.IsIPv4MappedToIPv6 ? parsed.Address.MapToIPv4() : parsed.Address;
        return new PathCandidate(NetEndpoint.From(new IPEndPoint(address, parsed.Port)), IsLan(address) ? CandidateKind.Host : CandidateKind.ServerReflexive);
    }

    /// <summary>RFC 1918, benchmarking 198.18/15 (the NAT lab's LANs), CGNAT 100.64/10, link-local, ULA.</summary>
    public static bool IsLan(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            Span<byte> b = stackalloc byte[4];
            address.TryWriteBytes(b, out _);
            return b[0] == 10 || (b[0] == 172 && (b[1] & 0xF0) == 16) || (b[0] == 192 && b[1] == 168)
                || (b[0] == 198 && (b[1] & 0xFE) == 18) || (b[0] == 100 && (b[1] & 0xC0) == 64) || (b[0] == 169 && b[1] == 254);
        }

        Span<byte> v6 = stackalloc byte[16];
        address.TryWriteBytes(v6, out _);
        return (v6[0] & 0xFE) == 0xFC || address.IsIPv6LinkLocal;
    }
}
