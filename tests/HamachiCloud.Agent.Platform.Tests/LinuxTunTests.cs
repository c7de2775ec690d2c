using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using HamachiCloud.Agent.Platform.Linux;
using HamachiCloud.Testing;
using HamachiCloud.Testing.Net;

namespace HamachiCloud.Agent.Platform.Tests;

/// <summary>
/// A real TUN device in a namespace the test creates (100.64.0.1/10 on it), a reader thread draining it,
/// and sockets in the same namespace. The namespace is deleted afterwards, also on failure.
/// </summary>
public sealed class LinuxTunTests
{
    private static readonly IPAddress Local = IPAddress.Parse("100.64.0.1");
    private static readonly IPAddress Remote = IPAddress.Parse("100.64.0.2");
    private static readonly IPAddress SubnetBroadcast = IPAddress.Parse("100.127.255.255");
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(5);

    [SkippableFact]
    public void Packet_written_to_the_tun_reaches_a_socket_and_a_socket_datagram_is_read_from_the_tun()
    {
        using var lab = TunLab.Start();
        using var socket = lab.Socket(4000);

        lab.Tun.Write([Ip4Packets.UdpPacket(Remote, 5555, Local, 4000, "into the tun"u8)], [40], 0, 1);
        var buffer = new byte[100];
        socket.ReceiveTimeout = (int)Wait.TotalMilliseconds;
        EndPoint from = new IPEndPoint(IPAddress.Any, 0);
        var n = socket.ReceiveFrom(buffer, ref from);
        Assert.Equal("into the tun", Encoding.ASCII.GetString(buffer, 0, n));
        Assert.Equal(new IPEndPoint(Remote, 5555), from);

        socket.SendTo("out of the tun"u8, new IPEndPoint(Remote, 4001));
        var packet = lab.ReadUntil(p => Ip4Packets.Protocol(p) == Ip4Packets.Udp && Ip4Packets.UdpDestinationPort(p) == 4001);
        Assert.Equal(Local, Ip4Packets.Source(packet));
        Assert.Equal(Remote, Ip4Packets.Destination(packet));
        Assert.Equal("out of the tun", Encoding.ASCII.GetString(Ip4Packets.UdpPayload(packet)));
    }

    [SkippableFact]
    public void Echo_request_written_to_the_tun_is_answered_through_the_tun()
    {
        using var lab = TunLab.Start();
        var request = Ip4Packets.EchoRequest(Remote, Local, id: 77, sequence: 1);
        lab.Tun.Write([request], [request.Length], 0, 1);

        var reply = lab.ReadUntil(p => Ip4Packets.Protocol(p) == Ip4Packets.Icmp && Ip4Packets.Transport(p)[0] == 0);
        Assert.Equal(Local, Ip4Packets.Source(reply));
        Assert.Equal(Remote, Ip4Packets.Destination(reply));
    }

    [SkippableFact]
    public void Subnet_broadcast_and_multicast_sent_by_a_socket_leave_through_the_tun()
    {
        using var lab = TunLab.Start();
        using var socket = lab.Socket(0, broadcast: true);
        socket.SendTo("to the subnet broadcast"u8, new IPEndPoint(SubnetBroadcast, 4100));
        var broadcast = lab.ReadUntil(p => Ip4Packets.Protocol(p) == Ip4Packets.Udp && Ip4Packets.UdpDestinationPort(p) == 4100);
        Assert.Equal(SubnetBroadcast, Ip4Packets.Destination(broadcast));

        using var anySocket = lab.Socket(0, broadcast: true, bind: IPAddress.Any);
        anySocket.SendTo("to a group"u8, new IPEndPoint(IPAddress.Parse("239.1.2.3"), 4101));
        var multicast = lab.ReadUntil(p => Ip4Packets.Protocol(p) == Ip4Packets.Udp && Ip4Packets.UdpDestinationPort(p) == 4101);
        Assert.Equal(IPAddress.Parse("239.1.2.3"), Ip4Packets.Destination(multicast));
        Assert.Equal("to a group", Encoding.ASCII.GetString(Ip4Packets.UdpPayload(multicast)));

        // Limited broadcast from a socket bound to the interface address goes out through it too.
        socket.SendTo("to everyone"u8, new IPEndPoint(IPAddress.Broadcast, 4102));
        var limited = lab.ReadUntil(p => Ip4Packets.Protocol(p) == Ip4Packets.Udp && Ip4Packets.UdpDestinationPort(p) == 4102);
        Assert.Equal(IPAddress.Broadcast, Ip4Packets.Destination(limited));
    }

    [SkippableFact]
    public void Dispose_unblocks_a_blocked_reader_and_removes_the_device()
    {
        using var lab = TunLab.Start();
        Thread.Sleep(200);
        Assert.True(lab.CloseTun(), "TUN reader still blocked after Dispose");
        Assert.DoesNotContain(lab.Tun.Name, lab.Namespace.Run("ip", "-o", "link"));
    }

    /// <summary>Namespace + TUN + reader thread; Dispose closes the TUN, joins the reader, deletes the namespace.</summary>
    private sealed class TunLab : IDisposable
    {
        private readonly BlockingCollection<byte[]> _packets = [];
        private readonly Thread _reader;
        private bool _disposed;

        private TunLab(NetworkNamespace ns, LinuxTun tun)
        {
            Namespace = ns;
            Tun = tun;
            _reader = new Thread(ReadLoop) { IsBackground = true, Name = "tun reader" };
            _reader.Start();
        }

        public NetworkNamespace Namespace { get; }

        public LinuxTun Tun { get; }

        public static TunLab Start()
        {
            Requires.Root();
            var ns = NetworkNamespace.Create("tun");
            try
            {
                LinuxTun tun;
                using (ns.Enter())
                {
                    tun = LinuxTun.Create("hctun0");
                }

                LinuxInterface.Configure(tun.Name, new InterfaceSettings { Addresses = [new InterfaceAddress(Local, 10)] }, ns.Name);
                return new TunLab(ns, tun);
            }
            catch
            {
                ns.Dispose();
                throw;
            }
        }

        /// <summary>A UDP socket in the namespace bound to the interface address (or <paramref name="bind"/>).</summary>
        public Socket Socket(int port, bool broadcast = false, IPAddress? bind = null)
        {
            using (Namespace.Enter())
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp) { EnableBroadcast = broadcast };
                socket.Bind(new IPEndPoint(bind ?? Local, port));
                return socket;
            }
        }

        public byte[] ReadUntil(Func<byte[], bool> match)
        {
            var seen = new List<string>();
            while (_packets.TryTake(out var packet, Wait))
            {
                if (Ip4Packets.IsIPv4(packet) && match(packet))
                {
                    return packet;
                }

                seen.Add(Convert.ToHexString(packet.AsSpan(0, Math.Min(packet.Length, 24))));
            }

            throw new TimeoutException($"no matching packet from the TUN within {Wait.TotalSeconds} s; saw {seen.Count}: {string.Join(", ", seen)}");
        }

        public void Dispose()
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            CloseTun();
            Namespace.Dispose();
        }

        /// <summary>Disposes the TUN; true when the reader thread then returned.</summary>
        public bool CloseTun()
        {
            Tun.Dispose();
            return _reader.Join(Wait);
        }

        private void ReadLoop()
        {
            var buffers = Enumerable.Range(0, 16).Select(_ => new byte[2048]).ToArray();
            var sizes = new int[16];
            while (true)
            {
                var n = Tun.Read(buffers, sizes, 0);
                if (n == 0)
                {
                    return;
                }

                for (var i = 0; i < n; i++)
                {
                    _packets.Add(buffers[i].AsSpan(0, sizes[i]).ToArray());
                }
            }
        }
    }
}
