using System.Diagnostics;
using System.Net;
using HamachiCloud.Agent.Engine.IO;
using HamachiCloud.Agent.Engine.Traversal;
using HamachiCloud.Integration.Tests.EndToEnd;
using HamachiCloud.Protocol.Control;
using HamachiCloud.Testing;
using HamachiCloud.Testing.Net;
using Xunit.Abstractions;

namespace HamachiCloud.Integration.Tests.Nat;

/// <summary>
/// The agent's NAT discovery (<see cref="NatProbe"/> on a real socket) behind every NAT lab site kind
/// gets the classification the site is built to have.
/// </summary>
[Collection(LabCollection.Name)]
public sealed class NatDiscoveryTests(ITestOutputHelper output)
{
    /// <summary>Reference server: Debian's stund (RFC 3489, two addresses and two ports).</summary>
    [SkippableFact]
    public async Task Discovery_against_stund_classifies_none_eim_symmetric_and_udp_blocked_sites()
    {
        Requires.Root();
        Requires.Command("nft");
        var stund = Requires.Command("stund");
        using var lab = NatLab.Create(SiteKind.None, SiteKind.Eim, SiteKind.Symmetric, SiteKind.UdpBlocked);
        using var server = LabProcess.Start(lab.Server.Namespace, stund, "-h", lab.Server.Primary.ToString(), "-a", lab.Server.Secondary.ToString(), "-p", "3478", "-o", "3479");
        var stun = new StunServer(Guid.NewGuid(), "stund", [Endpoint(lab.Server.Primary, 3478), Endpoint(lab.Server.Secondary, 3479)]);

        await CheckEverySite(lab, stun);
    }

    internal async Task CheckEverySite(NatLab lab, StunServer stun)
    {
        var failures = new List<string>();
        foreach (var site in lab.Sites)
        {
            using var socket = new ProbeSocket(site.Host.Namespace);
            var clock = Stopwatch.StartNew();
            var report = await socket.Probe.RunAsync([stun], CancellationToken.None);
            output.WriteLine($"{NatLab.KindName(site.Kind),-11} local :{socket.LocalPort} -> {Describe(report)} ({clock.ElapsedMilliseconds} ms)");
            var expected = Expected(site, socket.LocalPort);
            var symmetricPort = site.Kind == SiteKind.Symmetric && report.MappedEndpoint?.StartsWith($"{site.PublicAddress}:", StringComparison.Ordinal) == true;
            if (report with { Relays = null, MappedEndpoint = symmetricPort ? null : report.MappedEndpoint } != expected)
            {
                failures.Add($"{NatLab.KindName(site.Kind)}: expected {Describe(expected)}, got {Describe(report)}");
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    private static NatReport Expected(NatSite site, ushort localPort) => site.Kind switch
    {
        SiteKind.None => new NatReport($"{site.PublicAddress}:{localPort}", true, true, true, true, false, NatClassifier.EndpointIndependent, NatClassifier.EndpointIndependent),
        SiteKind.Eim => new NatReport($"{site.PublicAddress}:{localPort}", true, false, true, false, false, NatClassifier.EndpointIndependent, NatClassifier.AddressAndPortDependent),
        SiteKind.Symmetric => new NatReport(null, false, false, false, false, false, NatClassifier.EndpointDependent, NatClassifier.AddressAndPortDependent),
        SiteKind.UdpBlocked => new NatReport(UdpBlocked: true),
        _ => throw new ArgumentOutOfRangeException(nameof(site)),
    };

    private static string Describe(NatReport r) =>
        $"udp-blocked={r.UdpBlocked} mapped={r.MappedEndpoint} mapping={r.Mapping} filtering={r.Filtering} port-preserved={r.PortPreserved} hairpin={r.Hairpinning} relays=[{string.Join(", ", (r.Relays ?? []).Select(x => $"{x.Name} {x.Milliseconds} ms"))}]";

    private static NetEndpoint Endpoint(IPAddress address, int port) => NetEndpoint.From(new IPEndPoint(address, port));
}
