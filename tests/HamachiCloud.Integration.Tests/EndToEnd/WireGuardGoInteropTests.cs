using System.Net;
using HamachiCloud.Integration.Tests.Lab;
using HamachiCloud.Testing;

namespace HamachiCloud.Integration.Tests.EndToEnd;

/// <summary>Our agent against stock wireguard-go (Debian), each side in its own lab namespace.</summary>
[Collection(LabCollection.Name)]
public sealed class WireGuardGoInteropTests
{
    private const int FiftyMegabytes = 50 << 20;
    private static readonly IPAddress Ours = IPAddress.Parse("100.64.0.1");
    private static readonly IPAddress Theirs = IPAddress.Parse("100.64.0.2");

    [SkippableTheory]
    [InlineData(true)]
    [InlineData(false)]
    public void Ping_and_50MB_TCP_both_ways_with_our_agent_as_initiator_or_responder(bool weInitiate)
    {
        Prerequisites();
        using var lab = LabHosts.Up(2);
        var (ours, ourUnderlay) = lab.Hosts[0];
        var (theirs, theirUnderlay) = lab.Hosts[1];
        var ourKeys = Keys.New();
        var theirKeys = Keys.New();

        // Only the initiator knows the other's endpoint: the responder learns it from the handshake.
        using var agent = AgentProcess.Start(ours, ConfigText.Agent(ourKeys, "100.64.0.1/10", 51820,
            (theirKeys.Public, weInitiate ? $"{theirUnderlay}:51820" : null, "100.64.0.2/32")));
        using var wireguardGo = WireGuardGoPeer.Start(theirs, theirKeys.Private, "100.64.0.2/10", 51820,
            (ourKeys.Public, weInitiate ? null : $"{ourUnderlay}:51820", "100.64.0.1/32"));

        if (weInitiate)
        {
            Overlay.PingWorks(ours, Theirs.ToString());
            Overlay.PingWorks(theirs, Ours.ToString());
        }
        else
        {
            Overlay.PingWorks(theirs, Ours.ToString());
            Overlay.PingWorks(ours, Theirs.ToString());
        }

        Assert.NotEqual(0, wireguardGo.LatestHandshake(ourKeys.Public));
        Overlay.TcpTransferArrivesIntact(ours, theirs, Theirs, FiftyMegabytes);
        Overlay.TcpTransferArrivesIntact(theirs, ours, Ours, FiftyMegabytes);
    }

    [SkippableFact]
    public void Handshake_from_a_peer_whose_key_we_do_not_know_is_rejected()
    {
        Prerequisites();
        using var lab = LabHosts.Up(2);
        var (ours, ourUnderlay) = lab.Hosts[0];
        var (theirs, _) = lab.Hosts[1];
        var ourKeys = Keys.New();
        var stranger = Keys.New();
        var someoneElse = Keys.New();

        // Our agent knows one peer, not the stranger; the stranger knows our key and endpoint.
        using var agent = AgentProcess.Start(ours, ConfigText.Agent(ourKeys, "100.64.0.1/10", 51820, (someoneElse.Public, null, "100.64.0.2/32")));
        using var wireguardGo = WireGuardGoPeer.Start(theirs, stranger.Private, "100.64.0.2/10", 51820, (ourKeys.Public, $"{ourUnderlay}:51820", "100.64.0.1/32"));

        Assert.False(Overlay.PingAnswers(theirs, Ours.ToString(), attempts: 4), "an unknown peer got a tunnel");
        Assert.Equal(0, wireguardGo.LatestHandshake(ourKeys.Public));
        Assert.False(agent.HasExited, $"agent died: {agent.Output}");
    }

    private static void Prerequisites()
    {
        Requires.Root();
        Requires.Command("wireguard-go");
        Requires.Command("wg");
        Requires.Command("ping");
    }
}
