using System.Diagnostics.CodeAnalysis;
using System.Net;

namespace HamachiCloud.Agent.Platform.Linux;

/// <summary>An interface address with its prefix length, e.g. 100.64.0.1/10 (unlike IPNetwork, host bits stay).</summary>
public readonly record struct InterfaceAddress(IPAddress Address, int PrefixLength)
{
    /// <summary>The subnet the address is on (host bits cleared).</summary>
    public IPNetwork Network => Subnet(Address, PrefixLength);

    /// <summary>Parses "a.b.c.d/n" or "x::y/n"; a bare address gets the full-length prefix.</summary>
    public static bool TryParse(string? text, [NotNullWhen(true)] out InterfaceAddress? result)
    {
        result = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var slash = text.IndexOf('/', StringComparison.Ordinal);
        var addressText = slash < 0 ? text : text[..slash];
        if (!IPAddress.TryParse(addressText, out var address)
            || (address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 && address.ScopeId != 0)
            || (address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork && addressText.Count(c => c == '.') != 3))
        {
            // Only plain dotted quads for IPv4 ("10.1" is legal for inet_aton but surely a typo here).
            return false;
        }

        var max = address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128;
        var prefix = max;
        if (slash >= 0 && (!int.TryParse(text.AsSpan(slash + 1), System.Globalization.NumberStyles.None, null, out prefix) || prefix > max))
        {
            return false;
        }

        result = new InterfaceAddress(address, prefix);
        return true;
    }

    public override string ToString() => $"{Address}/{PrefixLength}";

    private static IPNetwork Subnet(IPAddress address, int prefix)
    {
        var bytes = address.GetAddressBytes();
        for (var bit = prefix; bit < bytes.Length * 8; bit++)
        {
            bytes[bit / 8] &= (byte)~(0x80 >> (bit % 8));
        }

        return new IPNetwork(new IPAddress(bytes), prefix);
    }
}
