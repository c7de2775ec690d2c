using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using HamachiCloud.Protocol.Crypto;
using HamachiCloud.Protocol.Relay;
using HamachiCloud.Relay.Core;

namespace HamachiCloud.Relay.Tests;

/// <summary>The pure core: decisions for given frames, sources and times (no sockets, no clock).</summary>
public sealed partial class RelayCoreTests : IDisposable
{
    private static readonly DateTimeOffset T0 = DateTimeOffset.FromUnixTimeSeconds(1_900_000_000);
    private static readonly RelaySource A = RelaySource.Udp(IPEndPoint.Parse("192.0.2.1:1000"));
    private static readonly RelaySource B = RelaySource.Udp(IPEndPoint.Parse("198.51.100.2:2000"));
    private readonly SigningKey _issuer = SigningKey.Generate();
    private readonly Guid _relayId = Guid.NewGuid();
    private readonly NodePrivateKey _pa = RelayTestClients.NewNodeKey();
    private readonly NodePrivateKey _pb = RelayTestClients.NewNodeKey();
    private readonly List<RelayCore> _cores = [];
    private readonly byte[] _out = new byte[2048];

    private readonly NodeKey _ka;
    private readonly NodeKey _kb;

    public RelayCoreTests()
    {
        _ka = _pa.PublicKey;
        _kb = _pb.PublicKey;
    }

    public void Dispose()
    {
        _issuer.Dispose();
        _pa.Dispose();
        _pb.Dispose();
        foreach (var core in _cores)
        {
            core.Dispose();
        }
    }

    private RelayCore Core(int maxBindings = 100, bool withIssuer = true)
    {
        var core = new RelayCore(_relayId, maxBindings, RandomNumberGenerator.Create());
        _cores.Add(core);
        if (withIssuer)
        {
            core.SetIssuer(_issuer.PublicKey);
        }

        return core;
    }

    /// <summary>
    /// Binds as an agent does: the Bind, and when the relay answers with a Challenge, the BindProof made with the
    /// token's node key. The last action (BindOk, or the refusal); <paramref name="sent"/> collects the frames sent.
    /// </summary>
    private RelayAction Bound(RelayCore core, RelaySource from, byte[] bind, DateTimeOffset now, List<byte[]>? sent = null)
    {
        sent?.Add(bind);
        var action = Handle(core, from, bind, now);
        if (action.Kind != RelayActionKind.Reply || !RelayFrame.TryParse(_out.AsSpan(0, action.Length), out var reply) || reply.Type != RelayFrameType.Challenge)
        {
            return action;
        }

        var token = bind[RelayFrame.HeaderSize..];
        var proof = RelayTestClients.Prove(PrivateOf(token), token, _out[..action.Length]);
        sent?.Add(proof);
        action = Handle(core, from, proof, now);
        if (action.Reason == RelayDropReason.None)
        {
            Assert.Equal(RelayFrameType.BindOk, (RelayFrameType)_out[3]);
        }

        return action;
    }

    private NodePrivateKey PrivateOf(byte[] token) =>
        token.AsSpan(RelayToken.FromOffset, 32).SequenceEqual(_ka.Bytes) ? _pa : token.AsSpan(RelayToken.FromOffset, 32).SequenceEqual(_kb.Bytes) ? _pb
        : throw new InvalidOperationException("a token from a key this test does not hold");

    private RelayFrameType ReplyType(RelayAction action) =>
        action.Kind == RelayActionKind.Reply && RelayFrame.TryParse(_out.AsSpan(0, action.Length), out var frame) ? frame.Type : 0;

    private byte[] Bind(NodeKey from, NodeKey to, DateTimeOffset? expires = null, long bandwidth = 0) =>
        RelayTestClients.Bind(new RelayToken(_relayId, from, to, expires ?? T0.AddMinutes(10), bandwidth).ToBytes(_issuer));

    private RelayAction Handle(RelayCore core, RelaySource from, byte[] datagram, DateTimeOffset now) => core.Handle(from, datagram, now, _out);

    [Fact]
    public void Send_is_forwarded_only_when_both_sides_are_bound_to_each_other()
    {
        var core = Core();
        Assert.Equal(RelayActionKind.Reply, Bound(core, A, Bind(_ka, _kb), T0).Kind);
        var refused = Handle(core, A, RelayTestClients.Send(_kb, [1]), T0);
        Assert.Equal((RelayActionKind.Reply, RelayDropReason.TargetNotBound), (refused.Kind, refused.Reason));

        Assert.Equal(RelayActionKind.Reply, Bound(core, B, Bind(_kb, _ka), T0).Kind);
        var forward = Handle(core, A, RelayTestClients.Send(_kb, [1, 2]), T0);
        Assert.Equal(RelayActionKind.Forward, forward.Kind);
        Assert.Equal(B, forward.To);
        Assert.True(RelayFrame.TryParse(_out.AsSpan(0, forward.Length), out var recv));
        Assert.Equal(RelayFrameType.Recv, recv.Type);
        Assert.Equal(_ka.Bytes.ToArray(), recv.Key.ToArray());

        // A third address sending "as A" has no binding of its own.
        var other = RelaySource.Udp(IPEndPoint.Parse("203.0.113.9:3000"));
        Assert.Equal(RelayDropReason.NoBinding, Handle(core, other, RelayTestClients.Send(_kb, [1]), T0).Reason);
    }

    [Fact]
    public void Usage_counts_forwarded_payload_per_sender_and_is_reported_once_or_put_back()
    {
        var core = Core();
        Bound(core, A, Bind(_ka, _kb, T0.AddSeconds(30)), T0);
        Bound(core, B, Bind(_kb, _ka), T0);
        Assert.Equal(RelayActionKind.Forward, Handle(core, A, RelayTestClients.Send(_kb, new byte[100]), T0).Kind);
        Assert.Equal(RelayActionKind.Forward, Handle(core, A, RelayTestClients.Send(_kb, new byte[50]), T0).Kind);
        Assert.Equal(RelayActionKind.Forward, Handle(core, B, RelayTestClients.Send(_ka, new byte[7]), T0).Kind);
        using (var stranger = RelayTestClients.NewNodeKey())
        {
            Assert.Equal(RelayDropReason.NoBinding, Handle(core, A, RelayTestClients.Send(stranger.PublicKey, new byte[999]), T0).Reason); // not counted
        }

        var first = core.TakeUsage().ToDictionary(u => (u.From, u.To), u => u.Bytes);
        Assert.Equal(2, first.Count);
        Assert.Equal(150, first[(_ka.ToBase64(), _kb.ToBase64())]);
        Assert.Equal(7, first[(_kb.ToBase64(), _ka.ToBase64())]);
        Assert.Empty(core.TakeUsage()); // reported once

        // A report the Api did not take comes back with the next one, and so do the bytes of a binding gone since.
        Assert.Equal(RelayActionKind.Forward, Handle(core, A, RelayTestClients.Send(_kb, new byte[10]), T0.AddSeconds(1)).Kind);
        var lost = core.TakeUsage();
        Assert.Equal(RelayActionKind.Forward, Handle(core, A, RelayTestClients.Send(_kb, new byte[5]), T0.AddSeconds(2)).Kind);
        core.ReturnUsage(lost);
        Handle(core, A, RelayTestClients.Send(_kb, [1]), T0.AddSeconds(40)); // the sweep removes A's expired binding
        var second = Assert.Single(core.TakeUsage());
        Assert.Equal((_ka.ToBase64(), _kb.ToBase64(), 15L), (second.From, second.To, second.Bytes));
    }

    [Fact]
    public void A_keepalive_with_the_same_token_skips_the_signature_check_but_any_other_bytes_or_a_new_issuer_do_not()
    {
        var core = Core();
        var token = new RelayToken(_relayId, _ka, _kb, T0.AddMinutes(10), 0).ToBytes(_issuer);
        Assert.Equal(RelayActionKind.Reply, Bound(core, A, RelayTestClients.Bind(token), T0).Kind);
        Assert.Equal(RelayFrameType.BindOk, ReplyType(Handle(core, A, RelayTestClients.Bind(token), T0.AddSeconds(5)))); // a keepalive: no challenge
        Assert.Equal(1, core.Snapshot().BindsFromCache);

        // Same pair, one byte changed (the bandwidth's last byte): verified in full, and refused.
        var tampered = (byte[])token.Clone();
        tampered[RelayToken.SignedSize - 1] ^= 1;
        Assert.Equal(RelayDropReason.BadSignature, Handle(core, A, RelayTestClients.Bind(tampered), T0.AddSeconds(6)).Reason);

        // The cached token expires like any other.
        var expiring = new RelayToken(_relayId, _ka, _kb, T0.AddSeconds(20), 0).ToBytes(_issuer);
        Assert.Equal(RelayActionKind.Reply, Handle(core, A, RelayTestClients.Bind(expiring), T0.AddSeconds(7)).Kind);
        Assert.Equal(RelayDropReason.Expired, Handle(core, A, RelayTestClients.Bind(expiring), T0.AddSeconds(20)).Reason);

        // A new issuer key: the bytes that verified under the old key are checked again, and fail.
        Assert.Equal(RelayFrameType.BindOk, ReplyType(Bound(core, A, RelayTestClients.Bind(token), T0.AddSeconds(21))));
        using var rotated = SigningKey.Generate();
        core.SetIssuer(rotated.PublicKey);
        Assert.Equal(RelayDropReason.BadSignature, Handle(core, A, RelayTestClients.Bind(token), T0.AddSeconds(22)).Reason);
    }

    [Fact]
    public void Bindings_expire_with_their_token_and_follow_a_rebinding_source()
    {
        var core = Core();
        Bound(core, A, Bind(_ka, _kb, T0.AddSeconds(30)), T0);
        Bound(core, B, Bind(_kb, _ka), T0);
        Assert.Equal(RelayActionKind.Forward, Handle(core, A, RelayTestClients.Send(_kb, [1]), T0.AddSeconds(29)).Kind);
        Assert.Equal(RelayDropReason.NoBinding, Handle(core, A, RelayTestClients.Send(_kb, [1]), T0.AddSeconds(30)).Reason);

        // A new token from a new address (NAT rebinding) moves the binding; the old address loses it.
        var moved = RelaySource.Udp(IPEndPoint.Parse("192.0.2.1:1001"));
        Assert.Equal(RelayFrameType.Challenge, ReplyType(Handle(core, moved, Bind(_ka, _kb), T0.AddSeconds(31)))); // the token alone moves nothing
        Assert.Equal(RelayFrameType.BindOk, ReplyType(Bound(core, moved, Bind(_ka, _kb), T0.AddSeconds(31))));
        Assert.Equal(RelayActionKind.Forward, Handle(core, moved, RelayTestClients.Send(_kb, [1]), T0.AddSeconds(31)).Kind);
        Assert.Equal(RelayDropReason.NoBinding, Handle(core, A, RelayTestClients.Send(_kb, [1]), T0.AddSeconds(31)).Reason);
        var back = Handle(core, B, RelayTestClients.Send(_ka, [1]), T0.AddSeconds(31));
        Assert.Equal(moved, back.To);
    }

    [Fact]
    public void Token_bucket_allows_one_second_of_burst_then_the_rate()
    {
        var core = Core();
        Bound(core, A, Bind(_ka, _kb, bandwidth: 8 * 1000), T0); // 1000 bytes/s, burst 1000 bytes
        Bound(core, B, Bind(_kb, _ka), T0);
        var frame = RelayTestClients.Send(_kb, new byte[100 - RelayFrame.DataOverhead]); // 100 bytes a frame
        var forwarded = Enumerable.Range(0, 15).Count(_ => Handle(core, A, frame, T0).Kind == RelayActionKind.Forward);
        Assert.Equal(10, forwarded);
        Assert.Equal(RelayDropReason.RateLimited, Handle(core, A, frame, T0).Reason);
        Assert.Equal(RelayActionKind.Forward, Handle(core, A, frame, T0.AddMilliseconds(100)).Kind); // 100 ms refills 100 bytes
        Assert.Equal(RelayDropReason.RateLimited, Handle(core, A, frame, T0.AddMilliseconds(150)).Reason);
        Assert.Equal(7, core.Snapshot().Dropped[RelayCounters.Name(RelayDropReason.RateLimited)]);
    }

    [Fact]
    public void Without_the_server_key_bans_or_room_binds_are_refused()
    {
        var keyless = Core(withIssuer: false);
        Assert.Equal(RelayDropReason.NoServerKey, Handle(keyless, A, Bind(_ka, _kb), T0).Reason);

        var core = Core();
        Bound(core, A, Bind(_ka, _kb), T0);
        Bound(core, B, Bind(_kb, _ka), T0);
        core.SetBans([IPNetwork.Parse("192.0.2.0/24")]);
        Assert.Equal(0 + 1, core.Snapshot().Bindings); // A's binding went with the ban
        Assert.Equal(RelayDropReason.Banned, Handle(core, A, Bind(_ka, _kb), T0).Reason);
        Assert.Equal(RelayDropReason.TargetNotBound, Handle(core, B, RelayTestClients.Send(_ka, [1]), T0).Reason);

        var tiny = Core(maxBindings: 1);
        Bound(tiny, A, Bind(_ka, _kb), T0);
        Assert.Equal(RelayDropReason.TableFull, Bound(tiny, B, Bind(_kb, _ka), T0).Reason);
    }

    [Fact]
    public void Malformed_frames_and_agent_bound_types_are_refused_as_malformed()
    {
        var core = Core();
        Assert.Equal(RelayDropReason.Malformed, Handle(core, A, [0x48, 0x43, 0x52, 0x01, 0x00], T0).Reason);
        var recv = new byte[40];
        Assert.True(RelayFrame.TryWriteRecv(recv, _kb.Bytes, [1, 2, 3, 4], out _));
        Assert.Equal(RelayDropReason.Malformed, Handle(core, A, recv, T0).Reason);
        var truncatedToken = Bind(_ka, _kb)[..100];
        Assert.Equal(RelayDropReason.Malformed, Handle(core, A, truncatedToken, T0).Reason);
    }

    [Fact]
    public void A_source_is_its_exact_address_and_port_so_an_IPv4_mapped_IPv6_address_is_another_source()
    {
        var core = Core();
        Bound(core, A, Bind(_ka, _kb), T0);
        Bound(core, B, Bind(_kb, _ka), T0);
        Assert.Equal(RelayActionKind.Forward, Handle(core, A, RelayTestClients.Send(_kb, [1]), T0).Kind);

        var mapped = RelaySource.Udp(IPEndPoint.Parse("[::ffff:192.0.2.1]:1000"));
        var otherPort = RelaySource.Udp(IPEndPoint.Parse("192.0.2.1:1001"));
        var webSocket = new RelaySource(IPEndPoint.Parse("192.0.2.1:1000"), 7);
        Assert.NotEqual(A, mapped);
        foreach (var stranger in new[] { mapped, otherPort, webSocket })
        {
            Assert.Equal(RelayDropReason.NoBinding, Handle(core, stranger, RelayTestClients.Send(_kb, [1]), T0).Reason);
        }

        Assert.Equal(A, RelaySource.Udp(IPEndPoint.Parse("192.0.2.1:1000")));
        Assert.Equal(A.GetHashCode(), RelaySource.Udp(IPEndPoint.Parse("192.0.2.1:1000")).GetHashCode());
    }

    [Theory]
    [InlineData("192.0.2.1:1000")]
    [InlineData("203.0.113.255:65535")]
    [InlineData("[::ffff:198.51.100.7]:3478")]
    [InlineData("[2001:db8::1]:51820")]
    [InlineData("[fe80::1%3]:41641")]
    public void A_received_socket_address_reads_into_a_source_and_writes_back_unchanged(string text)
    {
        var endpoint = IPEndPoint.Parse(text);
        Assert.True(RelaySource.TryUdp(endpoint.Serialize(), out var source));
        Assert.Equal(endpoint, source.Endpoint);
        Assert.Equal(RelaySource.Udp(endpoint), source);

        var written = new SocketAddress(endpoint.AddressFamily);
        Assert.True(source.TryWriteTo(written));
        Assert.Equal(endpoint, new IPEndPoint(endpoint.AddressFamily == AddressFamily.InterNetwork ? IPAddress.Any : IPAddress.IPv6Any, 0).Create(written));
        var otherFamily = endpoint.AddressFamily == AddressFamily.InterNetwork ? AddressFamily.InterNetworkV6 : AddressFamily.InterNetwork;
        Assert.False(source.TryWriteTo(new SocketAddress(otherFamily)));
    }

    [Fact]
    public void IPv4_bans_cover_IPv4_mapped_sources_and_IPv6_bans_only_IPv6_sources()
    {
        var core = Core();
        core.SetBans([IPNetwork.Parse("192.0.2.0/25"), IPNetwork.Parse("2001:db8:1::/48")]);
        string[] banned = ["192.0.2.0:1", "192.0.2.127:1", "[::ffff:192.0.2.5]:1", "[2001:db8:1::9]:1", "[2001:db8:1:ffff::]:1"];
        string[] allowed = ["192.0.2.128:1", "198.51.100.2:1", "[::ffff:192.0.2.200]:1", "[::c000:205]:1", "[2001:db8:2::1]:1"];
        foreach (var text in banned)
        {
            Assert.Equal(RelayDropReason.Banned, Handle(core, RelaySource.Udp(IPEndPoint.Parse(text)), Bind(_ka, _kb), T0).Reason);
        }

        foreach (var text in allowed)
        {
            Assert.Equal(RelayActionKind.Reply, Handle(core, RelaySource.Udp(IPEndPoint.Parse(text)), Bind(_ka, _kb), T0).Kind);
        }

        core.SetBans([IPNetwork.Parse("0.0.0.0/0")]);
        Assert.Equal(RelayDropReason.Banned, Handle(core, RelaySource.Udp(IPEndPoint.Parse("198.51.100.2:1")), Bind(_ka, _kb), T0).Reason);
        Assert.Equal(RelayActionKind.Reply, Handle(core, RelaySource.Udp(IPEndPoint.Parse("[2001:db8:2::1]:1")), Bind(_ka, _kb), T0).Kind);
    }
}
