using HamachiCloud.Agent.Engine.Traversal;

namespace HamachiCloud.Agent.Engine.Tests.Traversal;

/// <summary>
/// A relay binding that stops answering mid-session (relay gone, or UDP to it cut by a new firewall rule), against
/// the real relay core on a fake clock: keepalive Binds go unanswered, the client withdraws the relay path after
/// <see cref="RelayClient.RelayDeadAfter"/>, fetches tokens again and binds anew (here: over the relay's WebSocket,
/// since UDP to it stays cut).
/// </summary>
public sealed class RelayLossTests
{
    [Fact]
    public void When_udp_to_the_relay_stops_answering_the_binding_is_dropped_and_the_client_recovers_over_the_websocket()
    {
        using var world = new RelayRaceWorld();
        world.Begin();
        world.BindPeer();
        world.Run(TimeSpan.FromSeconds(3), () => world.Path is { Kind: PathKind.Relay, RelayOverWebSocket: false });
        Assert.True(world.Path is { Kind: PathKind.Relay, RelayOverWebSocket: false }, world.Dump());
        world.Run(TimeSpan.FromSeconds(3)); // settled on UDP; the race's WebSocket is closed

        world.UdpBlocked = true;
        var cut = world.Now;
        world.Run(TimeSpan.FromSeconds(40), () => world.Path is { Kind: PathKind.Relay, RelayOverWebSocket: true });
        var recovered = world.Now - cut;
        Console.WriteLine($"UDP to the relay cut at {cut.TotalSeconds:0.0} s; relay over WebSocket {recovered.TotalSeconds:0.0} s later");

        Assert.True(world.Path is { Kind: PathKind.Relay, RelayOverWebSocket: true }, world.Dump());
        Assert.Contains(world.Log, l => l.Contains("no BindOk for", StringComparison.Ordinal) && l.Contains("fetching tokens again", StringComparison.Ordinal));
        Assert.Contains(world.PathChanges, p => p.At > cut && !p.Relay); // the dead relay path was withdrawn first
        Assert.True(recovered < RelayClient.RelayDeadAfter + RelayClient.RebindInterval + TimeSpan.FromSeconds(3), world.Dump());

        world.BindPeer();
        Assert.True(world.ForwardTarget() is { IsWebSocket: true }, world.Dump());
    }
}
