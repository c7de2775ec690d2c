using System.Net;
using System.Net.Sockets;
using System.Text;
using HamachiCloud.Integration.Tests.Lab;
using HamachiCloud.Testing;

namespace HamachiCloud.Integration.Tests.EndToEnd;

/// <summary>
/// Broadcast and multicast across the overlay: agents A, B, C (ours) and D (stock wireguard-go), all
/// peers of A. A's application broadcasts; the data plane replicates to every peer as unicast
/// WireGuard messages; every receiver must get each datagram exactly once (no re-flooding).
/// </summary>
[Collection(LabCollection.Name)]
public sealed class BroadcastTests
{
    private static readonly TimeSpan Quiet = TimeSpan.FromSeconds(2);

    [SkippableFact]
    public void Broadcasts_reach_every_peer_once_and_multicast_reaches_the_group_member()
    {
        Requires.Root();
        Requires.Command("wireguard-go");
        Requires.Command("wg");
        Requires.Command("ping");
        using var lab = LabHosts.Up(4);
        var (a, aUnder) = lab.Hosts[0];
        var (b, bUnder) = lab.Hosts[1];
        var (c, cUnder) = lab.Hosts[2];
        var (d, dUnder) = lab.Hosts[3];
        var ka = Keys.New();
        var kb = Keys.New();
        var kc = Keys.New();
        var kd = Keys.New();

        using var agentA = AgentProcess.Start(a, ConfigText.Agent(ka, "100.64.0.1/10", 51820,
            (kb.Public, $"{bUnder}:51820", "100.64.0.2/32"), (kc.Public, $"{cUnder}:51820", "100.64.0.3/32"), (kd.Public, $"{dUnder}:51820", "100.64.0.4/32")));
        using var agentB = AgentProcess.Start(b, ConfigText.Agent(kb, "100.64.0.2/10", 51820,
            (ka.Public, $"{aUnder}:51820", "100.64.0.1/32"), (kc.Public, $"{cUnder}:51820", "100.64.0.3/32")));
        using var agentC = AgentProcess.Start(c, ConfigText.Agent(kc, "100.64.0.3/10", 51820,
            (ka.Public, $"{aUnder}:51820", "100.64.0.1/32"), (kb.Public, $"{bUnder}:51820", "100.64.0.2/32")));
        using var wireguardGo = WireGuardGoPeer.Start(d, kd.Private, "100.64.0.4/10", 51820, (ka.Public, $"{aUnder}:51820", "100.64.0.1/32"));

        foreach (var peer in (string[])["100.64.0.2", "100.64.0.3", "100.64.0.4"])
        {
            Overlay.PingWorks(a, peer);
        }

        Overlay.PingWorks(b, "100.64.0.3");

        using var atB = Overlay.UdpSocket(b, IPAddress.Any, 6000);
        using var atC = Overlay.UdpSocket(c, IPAddress.Any, 6000);
        using var atD = Overlay.UdpSocket(d, IPAddress.Any, 6000);
        using var groupAtC = Overlay.UdpSocket(c, IPAddress.Any, 6001);
        groupAtC.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.AddMembership, new MulticastOption(IPAddress.Parse("239.1.2.3"), IPAddress.Parse("100.64.0.3")));
        using var notInGroupAtB = Overlay.UdpSocket(b, IPAddress.Any, 6001);

        // Bound to A's overlay address, so even 255.255.255.255 leaves through A's TUN.
        using var sender = Overlay.UdpSocket(a, IPAddress.Parse("100.64.0.1"), 0);
        sender.SendTo("limited"u8, new IPEndPoint(IPAddress.Broadcast, 6000));
        sender.SendTo("subnet"u8, new IPEndPoint(IPAddress.Parse("100.127.255.255"), 6000));
        sender.SendTo("group"u8, new IPEndPoint(IPAddress.Parse("239.1.2.3"), 6001));

        foreach (var (name, socket) in (ReadOnlySpan<(string, Socket)>)[("B", atB), ("C", atC), ("D (wireguard-go)", atD)])
        {
            var got = Overlay.Drain(socket, Quiet);
            Assert.True(got.Count(m => m == "limited") == 1 && got.Count(m => m == "subnet") == 1,
                $"{name} got [{string.Join(", ", got)}]; expected 'limited' and 'subnet' once each");
        }

        Assert.Equal(["group"], Overlay.Drain(groupAtC, Quiet));
        Assert.Empty(Overlay.Drain(notInGroupAtB, TimeSpan.FromMilliseconds(300)));
    }
}
