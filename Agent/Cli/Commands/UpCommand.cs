using System.Net;
using System.Runtime.InteropServices;
using HamachiCloud.Agent.Config;
using HamachiCloud.Agent.Engine.Device;
using HamachiCloud.Agent.Engine.IO;
using HamachiCloud.Agent.Platform;
using HamachiCloud.Agent.Platform.Linux;

namespace HamachiCloud.Agent.Commands;

/// <summary>
/// <c>hamachi up</c>: the standalone composition. Parse the file (a bad one exits 2 naming line and key),
/// create the TUN device and configure it, open the UDP socket, start the data plane, run until
/// SIGINT/SIGTERM, then stop it (which closes the device and socket).
/// </summary>
public static class UpCommand
{
    public const string DefaultInterface = "hamachi0";

    public static int Run(string configPath, string interfaceName, TextWriter stdout, TextWriter stderr)
    {
        AgentConfig config;
        try
        {
            config = ConfigParser.ParseFile(configPath);
        }
        catch (ConfigException e)
        {
            stderr.WriteLine($"hamachi up: {e.Message}");
            return CommandLine.Usage;
        }

        ITunDevice? tun = null;
        LinuxUdpConn? conn = null;
        WireGuardDevice? dataPlane = null;
        try
        {
            var mtu = config.Interface.Mtu ?? LinuxTun.DefaultMtu;
            tun = TunDevices.Create(interfaceName, mtu);
            if (OperatingSystem.IsLinux())
            {
                LinuxInterface.Configure(tun.Name, Settings(config, mtu));
                conn = LinuxUdpConn.Open(config.Interface.ListenPort ?? 0);
            }
            else
            {
                throw new PlatformNotSupportedException("hamachi up: standalone mode runs on Linux only for now (Windows: TUN only, no interface configuration or batched UDP yet)");
            }

            using var stop = new ManualResetEventSlim();
            using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
            using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);

            var port = conn.LocalPort;
            // The same socket mux as the daemon (no relays or disco here): WireGuard passes straight through, anything else is dropped and counted.
            var mux = new Engine.Traversal.SocketMux(conn, Engine.IO.NetEndpoint.From(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, port)));
            dataPlane = AgentComposition.Start(config, tun, mux, TimeProvider.System);
            tun = null;
            conn = null; // owned by the data plane now
            stdout.WriteLine($"hamachi: {interfaceName} up, public key {config.Interface.PrivateKey.PublicKey.ToBase64()}, UDP port {port}, {config.Peers.Count} peer(s)");
            stdout.Flush();
            stop.Wait();
            stdout.WriteLine("hamachi: stopping");
            return CommandLine.Ok;

            void Stop(PosixSignalContext context)
            {
                context.Cancel = true;
                stop.Set();
            }
        }
        catch (Exception e) when (e is IOException or PlatformNotSupportedException or DllNotFoundException or ArgumentException)
        {
            stderr.WriteLine($"hamachi up: {e.Message}");
            return CommandLine.Failure;
        }
        finally
        {
            dataPlane?.Dispose();
            conn?.Dispose();
            tun?.Dispose();
            if (dataPlane is null)
            {
                config.Interface.PrivateKey.Dispose();
            }
        }
    }

    /// <summary>
    /// Interface settings from the file: addresses, MTU, and a route per AllowedIPs prefix that the
    /// address prefixes do not already cover. Default routes (/0) are not installed: they would route
    /// the tunnel's own UDP into itself (wg-quick needs policy routing for that).
    /// </summary>
    public static InterfaceSettings Settings(AgentConfig config, int mtu)
    {
        var routes = new List<IPNetwork>();
        foreach (var peer in config.Peers)
        {
            foreach (var prefix in peer.AllowedIps)
            {
                if (prefix.PrefixLength == 0 || routes.Contains(prefix) || Covered(config.Interface.Addresses, prefix))
                {
                    continue;
                }

                routes.Add(prefix);
            }
        }

        return new InterfaceSettings { Addresses = config.Interface.Addresses, Mtu = mtu, Routes = routes };
    }

    private static bool Covered(IReadOnlyList<InterfaceAddress> addresses, IPNetwork prefix)
    {
        foreach (var address in addresses)
        {
            var subnet = address.Network;
            if (subnet.BaseAddress.AddressFamily == prefix.BaseAddress.AddressFamily
                && subnet.PrefixLength <= prefix.PrefixLength && subnet.Contains(prefix.BaseAddress))
            {
                return true;
            }
        }

        return false;
    }
}
