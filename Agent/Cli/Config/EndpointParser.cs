using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace HamachiCloud.Agent.Config;

/// <summary>Parses a wg-quick Endpoint: "1.2.3.4:51820", "[2001:db8::1]:51820" or "host.example:51820" (resolved now).</summary>
public static class EndpointParser
{
    public static IPEndPoint Parse(string value, Func<string, Exception> error)
    {
        string host;
        string portText;
        if (value.StartsWith('['))
        {
            var close = value.IndexOf(']', StringComparison.Ordinal);
            if (close < 0 || close + 1 >= value.Length || value[close + 1] != ':')
            {
                throw error($"'{value}' is not [IPv6]:port");
            }

            host = value[1..close];
            portText = value[(close + 2)..];
        }
        else
        {
            var colon = value.LastIndexOf(':');
            if (colon < 0)
            {
                throw error($"'{value}' has no :port");
            }

            if (value.IndexOf(':', StringComparison.Ordinal) != colon)
            {
                throw error($"'{value}': an IPv6 address needs brackets, [address]:port");
            }

            host = value[..colon];
            portText = value[(colon + 1)..];
        }

        if (!ushort.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port == 0)
        {
            throw error($"'{value}': '{portText}' is not a port (1-65535)");
        }

        if (IPAddress.TryParse(host, out var address))
        {
            return new IPEndPoint(address, port);
        }

        if (Uri.CheckHostName(host) != UriHostNameType.Dns)
        {
            throw error($"'{value}': '{host}' is neither an IP address nor a host name");
        }

        try
        {
            var addresses = Dns.GetHostAddresses(host);
            var chosen = Array.Find(addresses, a => a.AddressFamily == AddressFamily.InterNetwork) ?? addresses.FirstOrDefault();
            return chosen is null ? throw error($"'{value}': host '{host}' has no address") : new IPEndPoint(chosen, port);
        }
        catch (SocketException e)
        {
            throw error($"'{value}': cannot resolve host '{host}': {e.Message}");
        }
    }
}
