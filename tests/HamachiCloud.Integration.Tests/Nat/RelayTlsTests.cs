using HamachiCloud.Integration.Tests.EndToEnd;
using HamachiCloud.Testing;
using HamachiCloud.Testing.Net;
using Xunit.Abstractions;

namespace HamachiCloud.Integration.Tests.Nat;

/// <summary>
/// The TCP fallback as agents meet it on the internet: the relay serves its WebSocket as wss:// with a
/// certificate (Kestrel, from the relay's configuration), and a UDP-blocked agent reaches it like any
/// HTTPS site, validating the certificate against the trust store (SSL_CERT_FILE here: a lab CA). An
/// agent that does not trust the certificate does not connect, and its log says why.
/// </summary>
[Collection(LabCollection.Name)]
public sealed class RelayTlsTests(ITestOutputHelper output)
{
    private static readonly TimeSpan PingLimit = TimeSpan.FromSeconds(30);

    [SkippableFact]
    public async Task A_udp_blocked_agent_reaches_the_relay_over_wss_with_a_trusted_certificate()
    {
        Requires.Root();
        Requires.Command("nft");
        Requires.Command("ping");
        using var ca = LabCertificates.Create("trusted");
        using var lab = NatLab.Create(SiteKind.None, SiteKind.UdpBlocked);
        var (certificate, key) = ca.IssueServer(lab.Server.Primary);
        await using var world = await TraversalLab.StartAsync(lab, lab.Sites[0].Host, lab.Sites[1].Host, new TraversalLab.RelayTls(certificate, key, ca.CaPem));
        var (open, blocked) = (world.Agents[0], world.Agents[1]);

        var first = ControlPlaneMeshTests.FirstAnswer(blocked.Host.Namespace, open.IPv4, PingLimit, world.SinceBothOnline);
        var view = blocked.WaitForPath(open, p => p == "relay (tcp)", TimeSpan.FromSeconds(20));
        output.WriteLine($"none x udp-blocked over wss://{lab.Server.Primary}:8443/relay: path {view.Path}; first answered ping {(first == TimeSpan.MaxValue ? "never" : $"{first.TotalSeconds:0.00} s")} after both agents were online");

        Assert.True(first != TimeSpan.MaxValue, $"no ping answered over the wss relay within {PingLimit.TotalSeconds} s\n{world.Logs()}");
        Assert.Equal("relay (tcp)", view.Path);
        Assert.Contains($"relay WebSocket wss://{lab.Server.Primary}:8443/relay connected", blocked.Daemon.Output, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task An_agent_that_does_not_trust_the_relays_certificate_does_not_connect_and_says_why()
    {
        Requires.Root();
        Requires.Command("nft");
        Requires.Command("ping");
        using var relayCa = LabCertificates.Create("relay");
        using var otherCa = LabCertificates.Create("other");
        using var lab = NatLab.Create(SiteKind.None, SiteKind.UdpBlocked);
        var (certificate, key) = relayCa.IssueServer(lab.Server.Primary);
        await using var world = await TraversalLab.StartAsync(lab, lab.Sites[0].Host, lab.Sites[1].Host, new TraversalLab.RelayTls(certificate, key, otherCa.CaPem));
        var (open, blocked) = (world.Agents[0], world.Agents[1]);

        var answer = ControlPlaneMeshTests.FirstAnswer(blocked.Host.Namespace, open.IPv4, TimeSpan.FromSeconds(10), world.SinceBothOnline);
        var view = blocked.PathTo(open);
        var refusal = blocked.Daemon.Output.Split('\n').FirstOrDefault(l => l.Contains("relay WebSocket wss://", StringComparison.Ordinal) && l.Contains("certificate", StringComparison.OrdinalIgnoreCase));
        output.WriteLine($"untrusted certificate: path {view.Path}; ping {(answer == TimeSpan.MaxValue ? "unanswered for 10 s" : "answered")}; log: {refusal?.Trim()}");

        Assert.True(answer == TimeSpan.MaxValue, $"a ping crossed a relay whose certificate the agent does not trust\n{world.Logs()}");
        Assert.NotEqual("relay (tcp)", view.Path);
        Assert.True(Connected(blocked.Daemon.Output).Length == 0, $"the WebSocket connected: {Connected(blocked.Daemon.Output)}");
        Assert.True(refusal is not null, $"the daemon's log does not say the relay's certificate was refused\n{blocked.Daemon.Output}");
    }

    /// <summary>The log lines saying a wss:// relay WebSocket connected.</summary>
    private static string Connected(string log) =>
        string.Join('\n', log.Split('\n').Where(l => l.Contains("relay WebSocket wss://", StringComparison.Ordinal) && l.TrimEnd().EndsWith("connected", StringComparison.Ordinal)));
}
