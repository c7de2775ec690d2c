using System.Security.Cryptography;
using HamachiCloud.Agent.Engine.IO;
using HamachiCloud.Agent.Engine.Traversal;
using HamachiCloud.Protocol.Crypto;
using HamachiCloud.Protocol.Disco;
using HamachiCloud.Protocol.Relay;
using HamachiCloud.Relay.Core;
using HamachiCloud.Testing;
using Microsoft.Extensions.Time.Testing;

namespace HamachiCloud.Agent.Engine.Tests.Traversal;

/// <summary>
/// One agent (<see cref="SocketMux"/>, <see cref="PathManager"/>, <see cref="RelayClient"/>) and a relay running the
/// real <see cref="RelayCore"/> on both transports, all driven by a <see cref="FakeTimeProvider"/> in 1 ms steps:
/// UDP datagrams take <see cref="UdpLatency"/> each way (or vanish while <see cref="UdpBlocked"/>), a WebSocket
/// connects after <see cref="WebSocketConnect"/> and carries frames in order, <see cref="WebSocketLatency"/> each way;
/// closing it tells the relay core, which drops the bindings made on it. The peer binds from its own UDP address
/// (<see cref="BindPeer"/>) so <see cref="ForwardTarget"/> can show where the relay sends the agent's traffic.
/// </summary>
internal sealed class RelayRaceWorld : IDisposable
{
    public static readonly NetEndpoint AgentEndpoint = VirtualNetwork.Endpoint("203.0.113.1", 41641);
    public static readonly NetEndpoint PeerEndpoint = VirtualNetwork.Endpoint("198.51.100.1", 41641);
    public static readonly NetEndpoint RelayUdp = VirtualNetwork.Endpoint("192.0.2.1", 3478);
    private static readonly Uri RelayWebSocket = new("ws://192.0.2.1:3478/relay");
    private static readonly Guid RelayId = Guid.Parse("7d4f3a52-0000-4000-8000-000000000002");

    private readonly SigningKey _server = SigningKey.Generate();
    private readonly RelayCore _core = new(RelayId, 100, RandomNumberGenerator.Create());
    private readonly NodePrivateKey _agentKey;
    private readonly NodePrivateKey _peerKey;
    private readonly FakeConn _conn;
    private readonly List<(DateTimeOffset Due, long Seq, Action Run)> _events = [];
    private readonly byte[][] _buffers = [new byte[65600]];
    private readonly int[] _sizes = new int[1];
    private readonly NetEndpoint[] _from = new NetEndpoint[1];
    private long _seq;

    public RelayRaceWorld()
    {
        _core.SetIssuer(_server.PublicKey);
        using var random = RandomNumberGenerator.Create();
        _agentKey = NodePrivateKey.Generate(random);
        _peerKey = NodePrivateKey.Generate(random);
        _conn = new FakeConn(this);
        Mux = new SocketMux(_conn, AgentEndpoint);
        Paths = new PathManager(Mux, new DiscoBox(_agentKey, RandomNumberGenerator.Create()), Time, RandomNumberGenerator.Create(), (_, _) => { }, Log.Add);
        Client = new RelayClient(Mux, Paths, _agentKey, Time, (to, _) =>
            {
                Fetches++;
                return Task.FromResult<IReadOnlyList<RelayGrant>>([Grant(_agentKey.PublicKey, to)]);
            },
            (url, onFrame, onConnected) => new FakeWebSocket(this, onFrame, onConnected), Log.Add);
        Start = Time.GetUtcNow();
    }

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    public DateTimeOffset Start { get; }

    public TimeSpan Now => Time.GetUtcNow() - Start;

    public SocketMux Mux { get; }

    /// <summary>How many times the client fetched relay tokens.</summary>
    public int Fetches { get; private set; }

    /// <summary>The bandwidth (bit/s) the tokens fetched from now on carry (0: unlimited).</summary>
    public long GrantBandwidth { get; set; }

    /// <summary>The server key that signs the tokens (to read back a captured Bind's token).</summary>
    public SigningPublicKey ServerKey => _server.PublicKey;

    public PathManager Paths { get; }

    public RelayClient Client { get; }

    public List<string> Log { get; } = [];

    public bool UdpBlocked { get; set; }

    public TimeSpan UdpLatency { get; set; } = TimeSpan.FromMilliseconds(20);

    public TimeSpan WebSocketConnect { get; set; } = TimeSpan.FromMilliseconds(30);

    public TimeSpan WebSocketLatency { get; set; } = TimeSpan.FromMilliseconds(20);

    /// <summary>Every WebSocket the client opened, in order.</summary>
    public List<FakeWebSocket> Sockets { get; } = [];

    /// <summary>The address the relay sees the agent's UDP datagrams come from (its NAT mapping); change it to rebind the NAT.</summary>
    public NetEndpoint AgentSource { get; set; } = AgentEndpoint;

    /// <summary>Every Bind and BindProof the agent sent to the relay over UDP, as captured on the wire.</summary>
    public List<byte[]> CapturedBinds { get; } = [];

    /// <summary>Every Bind the relay core accepted from the agent (answered with BindOk): when (since start) and over which transport.</summary>
    public List<(TimeSpan At, bool OverWebSocket)> BindsAtRelay { get; } = [];

    /// <summary>The agent's relay path to the peer, sampled after every step: (since start, relay bound, over WebSocket).</summary>
    public List<(TimeSpan At, bool Relay, bool OverWebSocket)> PathChanges { get; } = [];

    public NodeKey Peer => _peerKey.PublicKey;

    public PeerPathStatus Path => Paths.Status(Peer)!;

    /// <summary>The agent starts: knows the peer (no direct candidates) and asks the relay client for it.</summary>
    public void Begin()
    {
        Paths.UpsertPeer(Peer, [], Time.GetUtcNow());
        Client.AddPeer(Peer);
        Settle();
    }

    /// <summary>Advances the clock in 1 ms steps for <paramref name="duration"/>, or until <paramref name="until"/> holds.</summary>
    public void Run(TimeSpan duration, Func<bool>? until = null)
    {
        var end = Time.GetUtcNow() + duration;
        while (Time.GetUtcNow() < end && until?.Invoke() != true)
        {
            Time.Advance(TimeSpan.FromMilliseconds(1));
            Settle();
        }
    }

    /// <summary>The peer binds towards the agent from its own UDP address (Bind, the relay's Challenge, BindProof; a keepalive Bind once bound).</summary>
    public void BindPeer()
    {
        var token = Grant(Peer, _agentKey.PublicKey).Token;
        var frame = new byte[RelayFrame.BindSize];
        RelayFrame.TryWriteBind(frame, token, out _);
        var output = new byte[256];
        var source = RelaySource.Udp(PeerEndpoint.ToIPEndPoint());
        var action = _core.Handle(source, frame, Time.GetUtcNow(), output);
        Assert.Equal(RelayActionKind.Reply, action.Kind);
        Assert.True(RelayFrame.TryParse(output.AsSpan(0, action.Length), out var challenge));
        if (challenge.Type == RelayFrameType.BindOk)
        {
            return; // a keepalive from the address that already holds the binding
        }

        Assert.Equal(RelayFrameType.Challenge, challenge.Type);
        var key = new byte[RelayBindProof.KeySize];
        Assert.True(RelayBindProof.TryDeriveAgentKey(_peerKey, challenge.RelayKey, key));
        var proof = new byte[RelayBindProof.ProofSize];
        RelayBindProof.Compute(key, challenge.Cookie, token, proof);
        var answer = new byte[RelayFrame.BindProofSize];
        RelayFrame.TryWriteBindProof(answer, token, challenge.Cookie, proof, out _);
        action = _core.Handle(source, answer, Time.GetUtcNow(), output);
        Assert.True(RelayFrame.TryParse(output.AsSpan(0, action.Length), out var ok) && ok.Type == RelayFrameType.BindOk);
    }

    /// <summary>An attacker at <paramref name="from"/> sends <paramref name="datagram"/> to the relay: the type of the relay's reply (null when none).</summary>
    public RelayFrameType? SendToRelayFrom(NetEndpoint from, byte[] datagram)
    {
        var output = new byte[datagram.Length + 256];
        var action = _core.Handle(RelaySource.Udp(from.ToIPEndPoint()), datagram, Time.GetUtcNow(), output);
        return action.Kind == RelayActionKind.Reply && RelayFrame.TryParse(output.AsSpan(0, action.Length), out var reply) ? reply.Type : null;
    }

    /// <summary>Where the relay core forwards a frame from the peer to the agent now (null when it would not).</summary>
    public RelaySource? ForwardTarget()
    {
        var frame = new byte[RelayFrame.DataOverhead + 4];
        RelayFrame.TryWriteSend(frame, _agentKey.PublicKey.Bytes, [1, 2, 3, 4], out _);
        var output = new byte[frame.Length + 64];
        var action = _core.Handle(RelaySource.Udp(PeerEndpoint.ToIPEndPoint()), frame, Time.GetUtcNow(), output);
        return action.Kind == RelayActionKind.Forward ? action.To : null;
    }

    public string Dump() =>
        $"at {Now.TotalMilliseconds:0} ms, path {Path}\nbinds at relay: {string.Join(", ", BindsAtRelay.Select(b => $"{b.At.TotalMilliseconds:0} {(b.OverWebSocket ? "ws" : "udp")}"))}\n"
        + $"path changes: {string.Join(", ", PathChanges.Select(p => $"{p.At.TotalMilliseconds:0} {(p.Relay ? p.OverWebSocket ? "relay/ws" : "relay/udp" : "none")}"))}\n"
        + $"sockets: {string.Join(", ", Sockets.Select(s => s.ToString()))}\nlog:\n{string.Join('\n', Log)}";

    public void Dispose()
    {
        Client.Dispose();
        Paths.Dispose();
        _core.Dispose();
        _server.Dispose();
    }

    private RelayGrant Grant(NodeKey from, NodeKey to) =>
        new(RelayId, RelayUdp, RelayWebSocket, new RelayToken(RelayId, from, to, Time.GetUtcNow().AddMinutes(60), GrantBandwidth).ToBytes(_server), Time.GetUtcNow().AddMinutes(60));

    private void After(TimeSpan delay, Action run) => _events.Add((Time.GetUtcNow() + delay, _seq++, run));

    /// <summary>Runs every due event (in time, then send order) and lets the mux take what arrived, until nothing is due.</summary>
    private void Settle()
    {
        while (true)
        {
            var now = Time.GetUtcNow();
            var due = _events.Where(e => e.Due <= now).OrderBy(e => e.Due).ThenBy(e => e.Seq).FirstOrDefault();
            if (due.Run is not null)
            {
                _events.Remove(due);
                due.Run();
                continue;
            }

            if (_conn.HasInbound)
            {
                Mux.Receive(_buffers, _sizes, _from);
                continue;
            }

            break;
        }

        var path = Path;
        var sample = (Now, path.Kind == PathKind.Relay, path.RelayOverWebSocket);
        if (PathChanges.Count == 0 || PathChanges[^1].Relay != sample.Item2 || PathChanges[^1].OverWebSocket != sample.RelayOverWebSocket)
        {
            PathChanges.Add(sample);
        }
    }

    private void AtRelay(RelaySource source, byte[] datagram)
    {
        var output = new byte[datagram.Length + 64];
        var action = _core.Handle(source, datagram, Time.GetUtcNow(), output);
        if (action.Kind == RelayActionKind.Reply && RelayFrame.TryParse(output.AsSpan(0, action.Length), out var answer) && answer.Type == RelayFrameType.BindOk)
        {
            BindsAtRelay.Add((Now, source.IsWebSocket));
        }

        if (action.Kind == RelayActionKind.Drop)
        {
            return;
        }

        var to = action.Kind == RelayActionKind.Reply ? source : action.To;
        var bytes = output[..action.Length];
        if (to.IsWebSocket)
        {
            var socket = Sockets.First(s => s.Id == to.ConnectionId);
            After(WebSocketLatency, () => socket.Deliver(bytes));
        }
        else if (NetEndpoint.From(to.Endpoint) == AgentSource)
        {
            After(UdpLatency, () =>
            {
                if (!UdpBlocked)
                {
                    _conn.Arrive(bytes, RelayUdp);
                }
            });
        }
    }

    /// <summary>The agent's UDP socket: datagrams to the relay go to the core after the latency; the mux's own re-injections arrive at once.</summary>
    private sealed class FakeConn(RelayRaceWorld world) : IPacketConn
    {
        private readonly Queue<(byte[] Datagram, NetEndpoint From)> _inbound = new();

        public ushort LocalPort => AgentEndpoint.Port;

        public bool HasInbound => _inbound.Count > 0;

        public void Arrive(byte[] datagram, NetEndpoint from) => _inbound.Enqueue((datagram, from));

        public int Receive(byte[][] buffers, int[] sizes, NetEndpoint[] from)
        {
            if (!_inbound.TryDequeue(out var next))
            {
                return 0;
            }

            next.Datagram.CopyTo(buffers[0], 0);
            sizes[0] = next.Datagram.Length;
            from[0] = next.From;
            return 1;
        }

        public void Send(byte[][] buffers, int[] sizes, int offset, NetEndpoint[] to, int count)
        {
            for (var i = 0; i < count; i++)
            {
                var datagram = buffers[i].AsSpan(offset, sizes[i]).ToArray();
                if (to[i] == AgentEndpoint)
                {
                    Arrive(datagram, AgentEndpoint);
                }
                else if (to[i] == RelayUdp && !world.UdpBlocked)
                {
                    if (RelayFrame.TryParse(datagram, out var frame) && frame.Type is RelayFrameType.Bind or RelayFrameType.BindProof)
                    {
                        world.CapturedBinds.Add(datagram);
                    }

                    var source = RelaySource.Udp(world.AgentSource.ToIPEndPoint()); // the NAT mapping when it was sent
                    world.After(world.UdpLatency, () => world.AtRelay(source, datagram));
                }
            }
        }

        public void Dispose()
        {
        }
    }

    /// <summary>A relay WebSocket: connects after <see cref="WebSocketConnect"/>, frames in order both ways, closing tells the core.</summary>
    internal sealed class FakeWebSocket : IRelayChannel, IDisposable
    {
        private readonly RelayRaceWorld _world;
        private readonly Action<ReadOnlyMemory<byte>> _onFrame;
        private readonly List<byte[]> _queued = [];

        public FakeWebSocket(RelayRaceWorld world, Action<ReadOnlyMemory<byte>> onFrame, Action onConnected)
        {
            _world = world;
            _onFrame = onFrame;
            Id = world.Sockets.Count + 1;
            OpenedAt = world.Now;
            world.Sockets.Add(this);
            world.After(world.WebSocketConnect, () =>
            {
                if (ClosedAt is not null)
                {
                    return;
                }

                Connected = true;
                onConnected();
                foreach (var frame in _queued)
                {
                    Send(frame);
                }

                _queued.Clear();
            });
        }

        public long Id { get; }

        public TimeSpan OpenedAt { get; }

        public TimeSpan? ClosedAt { get; private set; }

        public bool Connected { get; private set; }

        /// <summary>Binds the agent sent on this socket: when (since start).</summary>
        public List<TimeSpan> BindsSent { get; } = [];

        private RelaySource Source => new(AgentEndpoint.ToIPEndPoint(), Id);

        public void Enqueue(ReadOnlySpan<byte> frame)
        {
            if (ClosedAt is not null)
            {
                return;
            }

            if (RelayFrame.TryParse(frame, out var parsed) && parsed.Type == RelayFrameType.Bind)
            {
                BindsSent.Add(_world.Now);
            }

            if (Connected)
            {
                Send(frame.ToArray());
            }
            else
            {
                _queued.Add(frame.ToArray());
            }
        }

        public void Deliver(byte[] frame)
        {
            if (ClosedAt is null)
            {
                _onFrame(frame);
            }
        }

        public void Dispose()
        {
            if (ClosedAt is not null)
            {
                return;
            }

            ClosedAt = _world.Now;
            _world.After(_world.WebSocketLatency, () => _world._core.Disconnected(Source));
        }

        public override string ToString() =>
            $"ws#{Id} opened {OpenedAt.TotalMilliseconds:0} ms, binds sent at [{string.Join(", ", BindsSent.Select(b => b.TotalMilliseconds.ToString("0")))}] ms, closed {ClosedAt?.TotalMilliseconds.ToString("0") ?? "never"}";

        private void Send(byte[] frame)
        {
            var source = Source;
            _world.After(_world.WebSocketLatency, () => _world.AtRelay(source, frame)); // what was sent before a close still arrives, before the close
        }
    }
}
