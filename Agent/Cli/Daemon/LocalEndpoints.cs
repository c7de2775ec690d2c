using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;

namespace HamachiCloud.Agent.Daemon;

/// <summary>This machine's candidate endpoints: every up, non-loopback interface address (no link-local, not the overlay) with the UDP port.</summary>
public static class LocalEndpoints
{
    public static IReadOnlyList<string> Gather(int port, string? overlayInterface = DaemonCommand.DefaultInterface)
    {
        var endpoints = new List<string>();
        foreach (var nic in NetworkInterface.GetAllNetworkInterfaces())
        {
            if (nic.OperationalStatus == OperationalStatus.Down || nic.NetworkInterfaceType == NetworkInterfaceType.Loopback || nic.Name == overlayInterface)
            {
                continue;
            }

            foreach (var unicast in nic.GetIPProperties().UnicastAddresses)
            {
                var address = unicast.Address;
                if (IPAddress.IsLoopback(address) || address.IsIPv6LinkLocal || (address.AddressFamily != AddressFamily.InterNetwork && address.AddressFamily != AddressFamily.InterNetworkV6))
                {
                    continue;
                }

                endpoints.Add(new IPEndPoint(address, port).ToString());
            }
        }

        return endpoints;
    }
}
