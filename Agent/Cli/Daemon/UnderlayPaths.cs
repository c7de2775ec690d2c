using System.Net;
using System.Net.NetworkInformation;
using HamachiCloud.Agent.Engine.Control;

namespace HamachiCloud.Agent.Daemon;

/// <summary>
/// The host's side of the underlay a gateway route must never cover: the server's addresses (its URL's host,
/// an address or resolved once in the background, so the daemon's lock never waits for DNS) and this machine's
/// default gateways. The relays and the peers' endpoints in use are added by <see cref="DaemonHost"/>.
/// </summary>
internal sealed class UnderlayPaths
{
    private volatile IReadOnlyList<UnderlayAddress> _server = [];

    public UnderlayPaths(string serverUrl, TextWriter log)
    {
        if (!Uri.TryCreate(serverUrl, UriKind.Absolute, out var url))
        {
            return;
        }

        var host = url.IdnHost.Trim('[', ']');
        if (IPAddress.TryParse(host, out var literal))
        {
            _server = [new UnderlayAddress(literal, "the server")];
            return;
        }

        _ = Task.Run(async () =>
        {
            try
            {
                _server = [.. (await Dns.GetHostAddressesAsync(host)).Select(a => new UnderlayAddress(a, $"the server {host}"))];
            }
            catch (Exception e) when (e is System.Net.Sockets.SocketException or ArgumentException)
            {
                log.WriteLine($"hamachi: cannot resolve the server {host} ({e.Message}); gateway routes are checked against the relays and peers only");
            }
        });
    }

    public IReadOnlyList<UnderlayAddress> Current()
    {
        var gateways = new List<UnderlayAddress>(_server);
        try
        {
            foreach (var nic in NetworkInterface.GetAllNetworkInterfaces())
            {
                foreach (var gateway in nic.GetIPProperties().GatewayAddresses)
                {
                    if (!gateway.Address.Equals(IPAddress.Any) && !gateway.Address.Equals(IPAddress.IPv6Any))
                    {
                        gateways.Add(new UnderlayAddress(gateway.Address, $"the default gateway on {nic.Name}"));
                    }
                }
            }
        }
        catch (NetworkInformationException)
        {
            // No interface list: the server, relays and peers still count.
        }

        return gateways;
    }
}
