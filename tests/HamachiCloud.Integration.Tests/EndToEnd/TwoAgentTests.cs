using System.Net;
using HamachiCloud.Integration.Tests.Lab;
using HamachiCloud.Testing;

namespace HamachiCloud.Integration.Tests.EndToEnd;

/// <summary>Two <c>hamachi up</c> agents in two lab namespaces (198.18.0.0/24 underlay, 100.64.0.0/10 overlay).</summary>
[Collection(LabCollection.Name)]
public sealed class TwoAgentTests
{
    private const int FiftyMegabytes = 50 << 20;

    [SkippableFact]
    public void Agents_ping_each_other_both_ways_and_50MB_over_TCP_arrive_intact_both_ways()
    {
        Requires.Root();
        Requires.Command("ping");
        using var lab = LabHosts.Up(2);
        var (a, aUnderlay) = lab.Hosts[0];
        var (b, _) = lab.Hosts[1];
        var keysA = Keys.New();
        var keysB = Keys.New();
        using var agentA = AgentProcess.Start(a, ConfigText.Agent(keysA, "100.64.0.1/10", 51820, (keysB.Public, null, "100.64.0.2/32")));
        using var agentB = AgentProcess.Start(b, ConfigText.Agent(keysB, "100.64.0.2/10", 51820, (keysA.Public, $"{aUnderlay}:51820", "100.64.0.1/32")));

        Overlay.PingWorks(b, "100.64.0.1");
        Overlay.PingWorks(a, "100.64.0.2");
        Overlay.TcpTransferArrivesIntact(a, b, IPAddress.Parse("100.64.0.2"), FiftyMegabytes);
        Overlay.TcpTransferArrivesIntact(b, a, IPAddress.Parse("100.64.0.1"), FiftyMegabytes);

        agentA.Dispose();
        Assert.True(agentA.ExitCodeAfterStop == 0, $"agent A after SIGTERM: exit {agentA.ExitCodeAfterStop}: {agentA.Output}");
    }
}
