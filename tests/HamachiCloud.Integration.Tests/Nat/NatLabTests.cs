using System.Net;
using System.Net.Sockets;
using HamachiCloud.Integration.Tests.EndToEnd;
using HamachiCloud.Testing;
using HamachiCloud.Testing.Net;
using Xunit.Abstractions;

namespace HamachiCloud.Integration.Tests.Nat;

/// <summary>The NAT lab (infra/lab/nat.sh via <see cref="NatLab"/>) behaves as each site kind promises, checked with plain sockets.</summary>
[Collection(LabCollection.Name)]
public sealed class NatLabTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Answer = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan Silence = TimeSpan.FromSeconds(1);

    [SkippableFact]
    public void Every_site_kind_maps_filters_and_blocks_as_documented()
    {
        Requires.Root();
        Requires.Command("nft");
        using var lab = NatLab.Create(SiteKind.None, SiteKind.Eim, SiteKind.Symmetric, SiteKind.UdpBlocked, SiteKind.SameLan);
        using var reflector = new Reflector(lab.Server);
        var primary = new IPEndPoint(lab.Server.Primary, Reflector.Port);
        var secondary = new IPEndPoint(lab.Server.Secondary, Reflector.Port);
        var primaryAlt = new IPEndPoint(lab.Server.Primary, Reflector.AltPort);
        var tcp = new IPEndPoint(lab.Server.Primary, Reflector.TcpPort);

        foreach (var site in lab.Sites)
        {
            using var socket = Reflector.Udp(site.Host.Namespace, new IPEndPoint(IPAddress.Any, 0));
            var local = ((IPEndPoint)socket.LocalEndPoint!).Port;
            var toPrimary = Reflector.Mapped(socket, primary, site.Kind == SiteKind.UdpBlocked ? Silence : Answer);
            var toSecondary = Reflector.Mapped(socket, secondary, site.Kind == SiteKind.UdpBlocked ? Silence : Answer);
            var toAlt = Reflector.Mapped(socket, primaryAlt, site.Kind == SiteKind.UdpBlocked ? Silence : Answer);
            using var fresh = Reflector.Udp(site.Host.Namespace, new IPEndPoint(IPAddress.Any, 0)); // has talked to nobody else
            var unsolicited = Reflector.Ask(fresh, primary, "other", Silence).Select(a => a.Text).ToList();
            var tcpMapped = Reflector.TcpMapped(site.Host.Namespace, tcp);
            output.WriteLine($"site {site.Index} {NatLab.KindName(site.Kind)}: host {site.Host.Address}:{local} -> primary {toPrimary?.ToString() ?? "-"}, secondary {toSecondary?.ToString() ?? "-"}, primary alt port {toAlt?.ToString() ?? "-"}; unsolicited answers [{string.Join(", ", unsolicited)}]; TCP seen as {tcpMapped}");

            Assert.Equal(site.PublicAddress, tcpMapped.Address);
            switch (site.Kind)
            {
                case SiteKind.None:
                    Assert.Equal(new IPEndPoint(site.Host.Address, local), toPrimary);
                    Assert.Equal(toPrimary, toSecondary);
                    Assert.Equal(["other-address", "other-port"], unsolicited.Order());
                    break;
                case SiteKind.Eim or SiteKind.SameLan:
                    Assert.Equal(site.PublicAddress, toPrimary!.Address);
                    Assert.Equal(toPrimary, toSecondary);
                    Assert.Equal(toPrimary, toAlt);
                    Assert.Empty(unsolicited);
                    break;
                case SiteKind.Symmetric:
                    Assert.Equal(site.PublicAddress, toPrimary!.Address);
                    Assert.Equal(site.PublicAddress, toSecondary!.Address);
                    Assert.True(new[] { toPrimary.Port, toSecondary.Port, toAlt!.Port }.Distinct().Count() >= 2, "a symmetric NAT maps each destination to its own port");
                    Assert.Empty(unsolicited);
                    break;
                case SiteKind.UdpBlocked:
                    Assert.Null(toPrimary);
                    Assert.Null(toSecondary);
                    Assert.Null(toAlt);
                    Assert.Empty(unsolicited);
                    break;
            }
        }

        SameLanHostsReachEachOtherOnTheLanButNotThroughTheRouter(lab.Sites.Single(s => s.Kind == SiteKind.SameLan), primary);
        output.WriteLine(lab.Status());
    }

    private void SameLanHostsReachEachOtherOnTheLanButNotThroughTheRouter(NatSite site, IPEndPoint server)
    {
        Assert.Equal(2, site.Hosts.Count);
        using var a = Reflector.Udp(site.Hosts[0].Namespace, new IPEndPoint(IPAddress.Any, 0));
        using var b = Reflector.Udp(site.Hosts[1].Namespace, new IPEndPoint(IPAddress.Any, 0));
        var bMapped = Reflector.Mapped(b, server, Answer)!;
        var bLan = new IPEndPoint(site.Hosts[1].Address, ((IPEndPoint)b.LocalEndPoint!).Port);

        a.SendTo("lan"u8.ToArray(), bLan);
        Assert.True(b.Poll(Answer, SelectMode.SelectRead), "same-lan: a datagram to the neighbour's LAN address arrives");
        var buffer = new byte[100];
        EndPoint from = new IPEndPoint(IPAddress.Any, 0);
        b.ReceiveFrom(buffer, ref from);
        Assert.Equal(site.Hosts[0].Address, ((IPEndPoint)from).Address);

        a.SendTo("hairpin"u8.ToArray(), bMapped);
        var hairpinned = b.Poll(Silence, SelectMode.SelectRead);
        output.WriteLine($"same-lan: {site.Hosts[0].Address} -> {bLan} arrives from {from}; -> neighbour's mapping {bMapped}: {(hairpinned ? "arrives" : "nothing (no hairpin)")}");
        Assert.False(hairpinned, "the same-lan router does not hairpin");
    }
}
