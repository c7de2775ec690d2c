using System.Net;
using HamachiCloud.Protocol.Relay;
using HamachiCloud.Relay.Core;

namespace HamachiCloud.Relay.Tests;

/// <summary>
/// Binding hijack (issue 12, item 6): the token is a bearer credential seen in clear, so replaying an agent's Bind or
/// BindProof from another address or WebSocket connection must not move its binding; only a fresh proof of the node
/// key from the new source does (NAT rebinding, roaming).
/// </summary>
public sealed partial class RelayCoreTests
{
    private static readonly RelaySource Attacker = RelaySource.Udp(IPEndPoint.Parse("203.0.113.66:4444"));

    [Fact]
    public void A_captured_bind_and_proof_replayed_from_another_address_do_not_move_the_binding()
    {
        var core = Core();
        var captured = new List<byte[]>();
        Assert.Equal(RelayFrameType.BindOk, ReplyType(Bound(core, A, Bind(_ka, _kb), T0, captured)));
        Bound(core, B, Bind(_kb, _ka), T0);
        Assert.Equal([RelayFrameType.Bind, RelayFrameType.BindProof], captured.Select(f => (RelayFrameType)f[3]));

        // The replayed Bind only earns the attacker a challenge it cannot answer; the replayed proof's cookie names A.
        Assert.Equal(RelayFrameType.Challenge, ReplyType(Handle(core, Attacker, captured[0], T0.AddSeconds(1))));
        var replayedProof = Handle(core, Attacker, captured[1], T0.AddSeconds(1));
        Assert.Equal((RelayFrameType.Refused, RelayDropReason.BadCookie), (ReplyType(replayedProof), replayedProof.Reason));

        var forward = Handle(core, B, RelayTestClients.Send(_ka, [7]), T0.AddSeconds(2));
        Assert.Equal((RelayActionKind.Forward, A), (forward.Kind, forward.To)); // still to A
        Assert.Equal(RelayDropReason.NoBinding, Handle(core, Attacker, RelayTestClients.Send(_kb, [1]), T0.AddSeconds(2)).Reason);
        Assert.Equal(1, core.Snapshot().Dropped[RelayCounters.Name(RelayDropReason.BadCookie)]);
    }

    [Fact]
    public void A_challenge_answered_without_the_node_key_or_too_late_is_refused()
    {
        var core = Core();
        var token = new RelayToken(_relayId, _ka, _kb, T0.AddMinutes(10), 0).ToBytes(_issuer);

        // The attacker's own challenge, answered with a key that is not the token's fromNodeKey.
        var challenge = Handle(core, Attacker, RelayTestClients.Bind(token), T0);
        var forged = RelayTestClients.Prove(_pb, token, _out[..challenge.Length]);
        Assert.Equal(RelayDropReason.BadProof, Handle(core, Attacker, forged, T0).Reason);

        // The right key, but after the cookie's lifetime.
        challenge = Handle(core, A, RelayTestClients.Bind(token), T0);
        var late = RelayTestClients.Prove(_pa, token, _out[..challenge.Length]);
        Assert.Equal(RelayDropReason.ExpiredCookie, Handle(core, A, late, T0.AddSeconds(10)).Reason);

        // A cookie is for one pair: a proof for A → B with a cookie issued for B → A does not pass.
        var other = new RelayToken(_relayId, _kb, _ka, T0.AddMinutes(10), 0).ToBytes(_issuer);
        challenge = Handle(core, A, RelayTestClients.Bind(other), T0);
        var swapped = RelayTestClients.Prove(_pa, token, _out[..challenge.Length]);
        Assert.Equal(RelayDropReason.BadCookie, Handle(core, A, swapped, T0).Reason);
        Assert.Equal(0, core.Snapshot().Bindings);
    }

    [Fact]
    public void A_rebinding_agent_moves_its_binding_with_a_fresh_proof_and_an_older_proof_cannot_move_it_back()
    {
        var core = Core();
        var token = new RelayToken(_relayId, _ka, _kb, T0.AddMinutes(10), 0).ToBytes(_issuer);
        Bound(core, A, RelayTestClients.Bind(token), T0);
        Bound(core, B, Bind(_kb, _ka), T0);

        // The agent's NAT maps it to a new port; a challenge also reaches a third port (answered later).
        Assert.Equal(RelayFrameType.BindOk, ReplyType(Handle(core, A, RelayTestClients.Bind(token), T0))); // A holds the binding: a keepalive, no challenge
        var moved = RelaySource.Udp(IPEndPoint.Parse("192.0.2.1:61000"));
        var atNew = Handle(core, moved, RelayTestClients.Bind(token), T0.AddSeconds(1));
        var proofAtNew = RelayTestClients.Prove(_pa, token, _out[..atNew.Length]);
        var roamBack = RelaySource.Udp(IPEndPoint.Parse("192.0.2.1:62000"));
        var atRoamBack = Handle(core, roamBack, RelayTestClients.Bind(token), T0.AddSeconds(1));
        var proofAtRoamBack = RelayTestClients.Prove(_pa, token, _out[..atRoamBack.Length]);

        Assert.Equal(RelayFrameType.BindOk, ReplyType(Handle(core, moved, proofAtNew, T0.AddSeconds(2))));
        Assert.Equal(moved, Handle(core, B, RelayTestClients.Send(_ka, [1]), T0.AddSeconds(2)).To);
        Assert.Equal(RelayDropReason.NoBinding, Handle(core, A, RelayTestClients.Send(_kb, [1]), T0.AddSeconds(2)).Reason);

        // A proof from a newer challenge moves it again; the proof of the older challenge then cannot move it back.
        var newer = Handle(core, A, RelayTestClients.Bind(token), T0.AddSeconds(3));
        Assert.Equal(RelayFrameType.BindOk, ReplyType(Handle(core, A, RelayTestClients.Prove(_pa, token, _out[..newer.Length]), T0.AddSeconds(3))));
        Assert.Equal(RelayDropReason.ExpiredCookie, Handle(core, roamBack, proofAtRoamBack, T0.AddSeconds(4)).Reason);
        Assert.Equal(A, Handle(core, B, RelayTestClients.Send(_ka, [1]), T0.AddSeconds(4)).To);
        Assert.Equal(4, core.Snapshot().BindsProven); // A, B, moved, back to A
    }

    [Fact]
    public void A_bind_replayed_on_another_websocket_connection_from_the_same_address_does_not_move_the_binding()
    {
        var core = Core();
        var agent = new RelaySource(IPEndPoint.Parse("192.0.2.1:50000"), 1);
        var attacker = new RelaySource(IPEndPoint.Parse("192.0.2.1:50000"), 2); // same address and port (a shared proxy), another connection
        var captured = new List<byte[]>();
        Bound(core, agent, Bind(_ka, _kb), T0, captured);
        Bound(core, B, Bind(_kb, _ka), T0);

        Assert.Equal(RelayFrameType.Challenge, ReplyType(Handle(core, attacker, captured[0], T0)));
        Assert.Equal(RelayDropReason.BadCookie, Handle(core, attacker, captured[1], T0).Reason);
        Assert.Equal(agent, Handle(core, B, RelayTestClients.Send(_ka, [1]), T0).To);
    }
}
