using HamachiCloud.Agent.Engine.IO;
using HamachiCloud.Agent.Engine.Traversal;
using HamachiCloud.Protocol.Relay;
using HamachiCloud.Testing;

namespace HamachiCloud.Agent.Engine.Tests.Traversal;

/// <summary>
/// The relay binding belongs to whoever holds the node key, not to whoever holds the token: the agent's own Binds
/// and BindProofs, captured on the wire and replayed from another address, do not move the relay's binding, while
/// the agent itself follows a NAT rebinding (a new source port) with a fresh proof. Real <see cref="RelayClient"/>
/// against the real relay core on a fake clock (<see cref="RelayRaceWorld"/>).
/// </summary>
public sealed class RelayBindingTests
{
    private static readonly NetEndpoint Attacker = VirtualNetwork.Endpoint("198.18.0.66", 40000);

    [Fact]
    public void The_agents_captured_binds_replayed_from_another_address_do_not_move_its_relay_binding()
    {
        using var world = new RelayRaceWorld();
        world.Client.UdpWorks = () => true;
        world.Begin();
        world.BindPeer();
        world.Run(TimeSpan.FromSeconds(2), () => world.Path.Kind == PathKind.Relay);
        Assert.True(world.Path is { Kind: PathKind.Relay, RelayOverWebSocket: false }, world.Dump());
        Assert.Equal(RelayRaceWorld.AgentEndpoint.ToIPEndPoint(), world.ForwardTarget()?.Endpoint);

        // The agent answered the relay's challenge: what went over the wire was a Bind and a BindProof.
        Assert.Contains(world.CapturedBinds, f => f[3] == (byte)RelayFrameType.Bind);
        Assert.Contains(world.CapturedBinds, f => f[3] == (byte)RelayFrameType.BindProof);
        foreach (var frame in world.CapturedBinds.ToList())
        {
            var reply = world.SendToRelayFrom(Attacker, frame);
            Assert.NotEqual(RelayFrameType.BindOk, reply); // a Challenge (for a Bind) or Refused BadProof (for a BindProof)
            Assert.Equal(RelayRaceWorld.AgentEndpoint.ToIPEndPoint(), world.ForwardTarget()?.Endpoint);
        }

        // The agent's keepalives go on from its own address and keep the binding there.
        world.Run(TimeSpan.FromSeconds(11));
        Assert.Equal(RelayRaceWorld.AgentEndpoint.ToIPEndPoint(), world.ForwardTarget()?.Endpoint);
        Assert.True(world.Path is { Kind: PathKind.Relay }, world.Dump());
    }

    [Fact]
    public void After_a_nat_rebinding_the_agents_next_keepalive_proves_the_key_and_the_binding_follows_the_new_port()
    {
        using var world = new RelayRaceWorld();
        world.Client.UdpWorks = () => true;
        world.Begin();
        world.BindPeer();
        world.Run(TimeSpan.FromSeconds(2), () => world.Path.Kind == PathKind.Relay);
        Assert.Equal(RelayRaceWorld.AgentEndpoint.ToIPEndPoint(), world.ForwardTarget()?.Endpoint);
        var proofs = world.CapturedBinds.Count(f => f[3] == (byte)RelayFrameType.BindProof);

        var rebound = VirtualNetwork.Endpoint("203.0.113.1", 50123);
        world.AgentSource = rebound;
        world.Run(RelayClient.RebindInterval + TimeSpan.FromSeconds(1));

        Assert.Equal(rebound.ToIPEndPoint(), world.ForwardTarget()?.Endpoint);
        Assert.True(world.CapturedBinds.Count(f => f[3] == (byte)RelayFrameType.BindProof) > proofs, world.Dump()); // a fresh proof moved it
        Assert.True(world.Path is { Kind: PathKind.Relay }, world.Dump());
        Assert.DoesNotContain(world.Log, l => l.Contains("no BindOk", StringComparison.Ordinal));
    }
}
