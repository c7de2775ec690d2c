using System.Net;

namespace HamachiCloud.Relay.Core;

/// <summary>
/// A banned range over the 16-byte address form of <see cref="RelaySource"/> (IPv4 ranges as ::ffff:a.b.c.d with
/// the prefix + 96): IPv4 ranges match IPv4 and IPv4-mapped IPv6 sources, IPv6 ranges the other IPv6 sources.
/// </summary>
internal readonly record struct BanRange(bool IsIPv4, ulong High, ulong Low, ulong MaskHigh, ulong MaskLow)
{
    public static BanRange From(IPNetwork network)
    {
        var isIPv4 = network.BaseAddress.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork;
        var prefix = network.PrefixLength + (isIPv4 ? 96 : 0);
        var (high, low) = new RelaySource(new IPEndPoint(network.BaseAddress, 0), 0).Address128;
        var maskHigh = prefix >= 64 ? ulong.MaxValue : prefix == 0 ? 0 : ulong.MaxValue << (64 - prefix);
        var maskLow = prefix <= 64 ? 0 : prefix >= 128 ? ulong.MaxValue : ulong.MaxValue << (128 - prefix);
        return new BanRange(isIPv4, high & maskHigh, low & maskLow, maskHigh, maskLow);
    }

    public bool Contains(RelaySource source)
    {
        var (high, low) = source.Address128;
        return source.IsIPv4Like == IsIPv4 && (high & MaskHigh) == High && (low & MaskLow) == Low;
    }
}
