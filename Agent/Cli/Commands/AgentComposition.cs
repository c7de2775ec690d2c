using System.Net.Sockets;
using HamachiCloud.Agent.Config;
using HamachiCloud.Agent.Engine.Config;
using HamachiCloud.Agent.Engine.Device;
using HamachiCloud.Agent.Engine.IO;

namespace HamachiCloud.Agent.Commands;

/// <summary>
/// Builds and starts the data plane (<see cref="WireGuardDevice"/>) from a parsed file over a TUN device
/// and a UDP socket. The device takes ownership of both and of the private key; disposing it stops
/// everything and zeroes the keys.
/// </summary>
public static class AgentComposition
{
    public static WireGuardDevice Start(AgentConfig config, ITunDevice tun, IPacketConn conn, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(config);
        var device = WireGuardDevice.Create(ToDeviceConfig(config), tun, conn, time);
        try
        {
            device.Start();
            return device;
        }
        catch
        {
            device.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The engine's view of the file. The overlay address for the subnet broadcast is the first IPv4
    /// Address (the first address if there is none).
    /// </summary>
    public static DeviceConfig ToDeviceConfig(AgentConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var addresses = config.Interface.Addresses;
        var overlay = addresses.FirstOrDefault(a => a.Address.AddressFamily == AddressFamily.InterNetwork);
        if (overlay.Address is null && addresses.Count > 0)
        {
            overlay = addresses[0];
        }

        return new DeviceConfig
        {
            PrivateKey = config.Interface.PrivateKey,
            Address = overlay.Address,
            PrefixLength = overlay.Address is null ? 0 : overlay.PrefixLength,
            Peers = [.. config.Peers.Select(p => new PeerConfig
            {
                PublicKey = p.PublicKey,
                PresharedKey = p.PresharedKey,
                Endpoint = p.Endpoint,
                AllowedIps = p.AllowedIps,
                PersistentKeepalive = p.PersistentKeepalive,
            })],
        };
    }
}
