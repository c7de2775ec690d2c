using System.Net;
using System.Security.Cryptography;
using HamachiCloud.Protocol.Relay;
using HamachiCloud.Relay.Core;

namespace HamachiCloud.Relay.Tests;

/// <summary>Handshake initiations per source address (issue 14, item 3): a flood of Binds is dropped before any signature check.</summary>
public sealed partial class RelayCoreTests
{
    [Fact]
    public void Handshake_initiations_are_limited_per_source_address_whatever_the_port_and_refill_with_time()
    {
        var core = new RelayCore(_relayId, 100, RandomNumberGenerator.Create(), handshakesPerSecond: 5);
        _cores.Add(core);
        core.SetIssuer(_issuer.PublicKey);
        var bind = Bind(_ka, _kb);

        // A burst of twice the rate is answered (each Bind from a new source gets a Challenge)...
        for (var i = 0; i < 10; i++)
        {
            var from = RelaySource.Udp(IPEndPoint.Parse($"192.0.2.50:{1000 + i}")); // one address, many ports
            Assert.Equal(RelayFrameType.Challenge, ReplyType(Handle(core, from, bind, T0)));
        }

        // ...then the address is dropped silently, before the token's signature is looked at.
        var flooded = Handle(core, RelaySource.Udp(IPEndPoint.Parse("192.0.2.50:2000")), bind, T0);
        Assert.Equal((RelayActionKind.Drop, RelayDropReason.HandshakeRateLimited), (flooded.Kind, flooded.Reason));
        var garbage = RelayTestClients.Bind(new byte[RelayToken.Size]); // would be bad_signature if it were checked
        Assert.Equal(RelayDropReason.HandshakeRateLimited, Handle(core, RelaySource.Udp(IPEndPoint.Parse("192.0.2.50:2001")), garbage, T0).Reason);

        // Other addresses are not affected, and an IPv6 /64 counts as one address.
        Assert.Equal(RelayFrameType.Challenge, ReplyType(Handle(core, B, bind, T0)));
        for (var i = 0; i < 10; i++)
        {
            Assert.Equal(RelayFrameType.Challenge, ReplyType(Handle(core, RelaySource.Udp(IPEndPoint.Parse($"[2001:db8:1:2::{i + 1}]:4000")), bind, T0)));
        }

        Assert.Equal(RelayDropReason.HandshakeRateLimited, Handle(core, RelaySource.Udp(IPEndPoint.Parse("[2001:db8:1:2:ffff::1]:4000")), bind, T0).Reason);
        Assert.Equal(RelayFrameType.Challenge, ReplyType(Handle(core, RelaySource.Udp(IPEndPoint.Parse("[2001:db8:1:3::1]:4000")), bind, T0)));

        // One second later the address has five more (the rate), not more.
        var later = T0.AddSeconds(1);
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(RelayFrameType.Challenge, ReplyType(Handle(core, RelaySource.Udp(IPEndPoint.Parse($"192.0.2.50:{3000 + i}")), bind, later)));
        }

        Assert.Equal(RelayDropReason.HandshakeRateLimited, Handle(core, RelaySource.Udp(IPEndPoint.Parse("192.0.2.50:3999")), bind, later).Reason);
        Assert.Equal(4, core.Snapshot().Dropped["handshake_rate_limited"]);
    }

    [Fact]
    public void Relayed_traffic_is_not_counted_as_handshakes()
    {
        var core = new RelayCore(_relayId, 100, RandomNumberGenerator.Create(), handshakesPerSecond: 1);
        _cores.Add(core);
        core.SetIssuer(_issuer.PublicKey);
        Assert.Equal(RelayDropReason.None, Bound(core, A, Bind(_ka, _kb), T0).Reason); // Bind + BindProof: the burst of 2
        Assert.Equal(RelayDropReason.None, Bound(core, B, Bind(_kb, _ka), T0).Reason);
        for (var i = 0; i < 100; i++)
        {
            Assert.Equal(RelayActionKind.Forward, Handle(core, A, RelayTestClients.Send(_kb, [1, 2, 3]), T0).Kind);
        }

        Assert.Equal(RelayDropReason.HandshakeRateLimited, Handle(core, A, Bind(_ka, _kb), T0).Reason); // its third handshake frame this second
        Assert.Equal(0, core.Snapshot().Dropped["bad_signature"]);
    }
}
