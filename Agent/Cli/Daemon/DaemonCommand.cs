using System.Net;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using HamachiCloud.Agent.Commands;
using HamachiCloud.Agent.Control;
using HamachiCloud.Agent.Engine.Config;
using HamachiCloud.Agent.Engine.Control;
using HamachiCloud.Agent.Engine.Device;
using HamachiCloud.Agent.Engine.IO;
using HamachiCloud.Agent.Engine.Traversal;
using HamachiCloud.Agent.Ipc;
using HamachiCloud.Agent.Platform;
using HamachiCloud.Agent.Platform.Linux;
using HamachiCloud.Agent.State;
using HamachiCloud.Protocol.Control;

namespace HamachiCloud.Agent.Daemon;

/// <summary>
/// <c>hamachi daemon</c>: the composition of the enrolled agent. TUN with the device's addresses,
/// UDP socket, data plane, tunnels restored from the signed cache, gateway routes (kernel routes,
/// forwarding and nftables masquerade, removed at exit), the control loop, the IPC socket; runs until
/// SIGINT/SIGTERM, then says goodbye to the server and stops.
/// </summary>
public static class DaemonCommand
{
    public const string DefaultInterface = "hamachi0";

    /// <summary>IPv6 addresses come from the deployment's ULA /48.</summary>
    public const int IPv6PrefixLength = 48;

    public static int Run(CliArgs args, TextWriter stdout, TextWriter stderr)
    {
        var state = new StateDirectory(args.StateDir);
        Enrolment? enrolment;
        try
        {
            enrolment = state.LoadEnrolment();
        }
        catch (InvalidDataException e)
        {
            stderr.WriteLine($"hamachi daemon: {e.Message}");
            return CommandLine.Usage;
        }

        if (enrolment is null)
        {
            stderr.WriteLine($"hamachi daemon: not enrolled (no {state.File(StateDirectory.EnrolmentFile)}): run `hamachi login --server URL` first");
            return CommandLine.Usage;
        }

        var name = args.Value("--interface") ?? DefaultInterface;
        if (!ParseAddresses(enrolment, out var v4, out var v6, out var error) || !ushort.TryParse(args.Value("--port") ?? "0", out var port))
        {
            stderr.WriteLine($"hamachi daemon: {error ?? $"--port '{args.Value("--port")}' is not a UDP port"}");
            return CommandLine.Usage;
        }

        if (!OperatingSystem.IsLinux())
        {
            stderr.WriteLine("hamachi daemon: runs on Linux only for now");
            return CommandLine.Failure;
        }

        WireGuardDevice? device = null;
        try
        {
            using var machineKey = state.LoadOrCreateMachineKey();
            var nodeKey = state.LoadOrCreateNodeKey();
            // Not WireGuard's 1420: relayed datagrams carry a relay frame too (see SocketMux.OverlayMtu).
            var tun = TunDevices.Create(name, SocketMux.OverlayMtu);
            LinuxInterface.Configure(tun.Name, new InterfaceSettings { Addresses = [v4, v6], Mtu = SocketMux.OverlayMtu });
            var udp = LinuxUdpConn.Open(port);
            // One socket for WireGuard, STUN, disco and relay frames; WebSocket relay frames are re-injected over loopback.
            var conn = new SocketMux(udp, NetEndpoint.From(new IPEndPoint(IPAddress.Loopback, udp.LocalPort)));
            device = WireGuardDevice.Create(new DeviceConfig { PrivateKey = nodeKey, Address = v4.Address, PrefixLength = v4.PrefixLength, Peers = [] },
                tun, conn, TimeProvider.System);
            var probe = new NatProbe(conn.SendRaw, conn.LocalPort, TimeProvider.System, RandomNumberGenerator.Create());
            conn.StunHandler = probe.OnStunDatagram;
            device.Start();

            using var routing = new LinuxHostRouting(tun.Name, v4.Network, v6.Network);
            var underlay = new UnderlayPaths(enrolment.ServerUrl, stdout);
            using var host = new DaemonHost(state, enrolment, device, TimeProvider.System, stdout, routing, underlay.Current);
            ControlLoop? control = null;
            var ownPort = device.ListenPort;
            using var traversal = new DaemonTraversal(conn, nodeKey, device, TimeProvider.System, stdout, () => control?.Current, host.Relays,
                () => [.. LocalEndpoints.Gather(ownPort, name).Select(e => IPEndPoint.TryParse(e, out var parsed) ? parsed : null).OfType<IPEndPoint>(),
                    .. probe.ServerReflexive is { } mapped ? [mapped.ToIPEndPoint()] : Array.Empty<IPEndPoint>()]);
            traversal.UdpBlocked = () => probe.Last?.UdpBlocked == true;
            traversal.UdpWorks = () => probe.Last?.UdpBlocked == false;
            host.Traversal = traversal;
            stdout.WriteLine($"hamachi: {name} up as {enrolment.VirtualIPv4} ({enrolment.Name}, device {enrolment.DeviceId}), UDP port {device.ListenPort}");
            stdout.WriteLine($"hamachi: {host.RestoreFromCache()}");

            var listenPort = device.ListenPort;
            var loop = new ControlLoop(
                () => new ControlConnection(enrolment.ServerUrl, enrolment.DeviceId, host.PinnedKey, host),
                machineKey,
                () => new DiscoveryReport(LocalEndpoints.Gather(listenPort, name), listenPort, probe.Last),
                new ReconnectBackoff(),
                Random.Shared,
                TimeProvider.System,
                stdout);
            host.Control = loop;
            control = loop;
            host.Discovery = new DiscoveryLoop(probe, host.Relays, () => LocalEndpoints.Gather(listenPort, name),
                report => loop.Current?.ReportDiscoveryAsync(report, CancellationToken.None) ?? Task.CompletedTask, TimeProvider.System, stdout);

            using var stop = new CancellationTokenSource();
            using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
            using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
            var ipc = IpcServer.Listen(args.Value("--socket") ?? state.SocketPath, host, args.Value("--group"));
            stdout.Flush();
            var serving = ipc.RunAsync(stop.Token);
            var discovering = host.Discovery.RunAsync(stop.Token);
            loop.RunAsync(stop.Token).GetAwaiter().GetResult();
            discovering.GetAwaiter().GetResult();
            ipc.DisposeAsync().AsTask().GetAwaiter().GetResult();
            serving.GetAwaiter().GetResult();
            stdout.WriteLine("hamachi: stopped");
            return CommandLine.Ok;

            void Stop(PosixSignalContext context)
            {
                context.Cancel = true;
                traversal.StopReporting();
                stop.Cancel();
            }
        }
        catch (Exception e) when (e is IOException or InvalidDataException or PlatformNotSupportedException or DllNotFoundException or ArgumentException or System.Net.Sockets.SocketException)
        {
            stderr.WriteLine($"hamachi daemon: {e.Message}");
            return CommandLine.Failure;
        }
        finally
        {
            device?.Dispose();
        }
    }

    private static bool ParseAddresses(Enrolment enrolment, out InterfaceAddress v4, out InterfaceAddress v6, out string? error)
    {
        v4 = default;
        v6 = default;
        var slash = enrolment.OverlayPrefixV4.IndexOf('/', StringComparison.Ordinal);
        if (!IPAddress.TryParse(enrolment.VirtualIPv4, out var ip4) || slash < 0 || !int.TryParse(enrolment.OverlayPrefixV4.AsSpan(slash + 1), out var prefix) || prefix is < 1 or > 32)
        {
            error = $"enrolment: virtualIPv4 '{enrolment.VirtualIPv4}' / overlayPrefixV4 '{enrolment.OverlayPrefixV4}' are not an address and a prefix";
            return false;
        }

        if (!IPAddress.TryParse(enrolment.VirtualIPv6, out var ip6))
        {
            error = $"enrolment: virtualIPv6 '{enrolment.VirtualIPv6}' is not an address";
            return false;
        }

        v4 = new InterfaceAddress(ip4, prefix);
        v6 = new InterfaceAddress(ip6, IPv6PrefixLength);
        error = null;
        return true;
    }
}
