using System.Net;
using System.Security.Cryptography;
using HamachiCloud.Agent.Engine.Config;
using HamachiCloud.Agent.Engine.Device;
using HamachiCloud.Agent.Engine.IO;
using HamachiCloud.Agent.Engine.Traversal;
using HamachiCloud.Protocol.Crypto;
using HamachiCloud.Protocol.Disco;
using HamachiCloud.Protocol.Relay;
using HamachiCloud.Protocol.WireGuard;
using HamachiCloud.Relay.Core;
using HamachiCloud.Testing;

namespace HamachiCloud.Agent.Engine.Tests.Traversal;

/// <summary>
/// Two agents (WireGuard device over a <see cref="SocketMux"/>, <see cref="PathManager"/>,
/// <see cref="RelayClient"/>) and a relay running the real <see cref="RelayCore"/> on a
/// <see cref="VirtualNetwork"/>, on the real clock. Tokens are signed by a test server key.
/// </summary>
internal sealed class TraversalWorld : IDisposable
{
    public static readonly NetEndpoint RelayEndpoint = VirtualNetwork.Endpoint("192.0.2.1", 3478);
    private static readonly Guid RelayId = Guid.Parse("7d4f3a52-0000-4000-8000-000000000001");

    private readonly SigningKey _server = SigningKey.Generate();
    private readonly RelayCore _core = new(RelayId, 100, RandomNumberGenerator.Create());
    private readonly VirtualPacketConn _relayConn;
    private readonly Thread _relayThread;

    public TraversalWorld(NetEndpoint a, NetEndpoint b)
    {
        _core.SetIssuer(_server.PublicKey);
        _relayConn = Network.Listen(RelayEndpoint);
        _relayThread = new Thread(RunRelay) { IsBackground = true, Name = "relay" };
        _relayThread.Start();
        using var random = RandomNumberGenerator.Create();
        var keyA = NodePrivateKey.Generate(random);
        var keyB = NodePrivateKey.Generate(random);
        A = new Agent(this, keyA, a, "100.64.0.1");
        B = new Agent(this, keyB, b, "100.64.0.2");
        A.Connect(B);
        B.Connect(A);
    }

    public VirtualNetwork Network { get; } = new() { Record = false };

    public Agent A { get; }

    public Agent B { get; }

    public RelayCounters RelayCounters => _core.Snapshot();

    /// <summary>Drops every direct datagram between the agents (the relay still works) while true.</summary>
    public bool CutDirect { get; set; }

    public void Dispose()
    {
        A.Dispose();
        B.Dispose();
        _relayConn.Dispose();
        _relayThread.Join(TimeSpan.FromSeconds(2));
        _core.Dispose();
        _server.Dispose();
    }

    internal bool Drop(Datagram datagram) =>
        CutDirect && ((datagram.From == A.Endpoint && datagram.To == B.Endpoint) || (datagram.From == B.Endpoint && datagram.To == A.Endpoint));

    internal RelayGrant Grant(NodeKey from, NodeKey to) =>
        new(RelayId, RelayEndpoint, null, new RelayToken(RelayId, from, to, TimeProvider.System.GetUtcNow().AddMinutes(60), 0).ToBytes(_server), TimeProvider.System.GetUtcNow().AddMinutes(60));

    private void RunRelay()
    {
        var buffers = new[] { new byte[65600] };
        var sizes = new int[1];
        var from = new NetEndpoint[1];
        var output = new byte[65600];
        var to = new NetEndpoint[1];
        while (_relayConn.Receive(buffers, sizes, from) > 0)
        {
            var action = _core.Handle(RelaySource.Udp(from[0].ToIPEndPoint()), buffers[0].AsSpan(0, sizes[0]), TimeProvider.System.GetUtcNow(), output);
            if (action.Kind == RelayActionKind.Drop)
            {
                continue;
            }

            to[0] = action.Kind == RelayActionKind.Reply ? from[0] : NetEndpoint.From(action.To.Endpoint);
            _relayConn.Send([output], [action.Length], 0, to, 1);
        }
    }

    internal sealed class Agent : IDisposable
    {
        private readonly TraversalWorld _world;

        public Agent(TraversalWorld world, NodePrivateKey key, NetEndpoint endpoint, string overlay)
        {
            _world = world;
            Key = key;
            Endpoint = endpoint;
            Overlay = overlay;
            world.Network.DropWhen ??= world.Drop;
            Conn = world.Network.Listen(endpoint);
            Mux = new SocketMux(Conn, endpoint);
            Tun = new MemoryTun($"mem-{overlay}");
            Device = new WireGuardDevice(new LocalIdentity(key), Tun, Mux, TimeProvider.System,
                new WireGuardDeviceOptions { OverlayAddress = IPAddress.Parse(overlay), OverlayPrefixLength = 10 });
            Paths = new PathManager(Mux, new DiscoBox(key, RandomNumberGenerator.Create()), TimeProvider.System, RandomNumberGenerator.Create(),
                (peer, to) => Device.SetPeerEndpoint(peer, to), line => Log.Add(line));
            Device.Start();
        }

        public NodePrivateKey Key { get; }

        public NetEndpoint Endpoint { get; }

        public string Overlay { get; }

        public VirtualPacketConn Conn { get; }

        public SocketMux Mux { get; }

        public MemoryTun Tun { get; }

        public WireGuardDevice Device { get; }

        public PathManager Paths { get; }

        public RelayClient? Relay { get; private set; }

        public List<string> Log { get; } = [];

        public NodeKey PublicKey => Key.PublicKey;

        public PeerPathStatus Path(Agent peer) => Paths.Status(peer.PublicKey)!;

        public void Connect(Agent peer)
        {
            Device.AddPeer(new PeerConfig
            {
                PublicKey = peer.PublicKey,
                AllowedIps = [IPNetwork.Parse($"{peer.Overlay}/32")],
                PersistentKeepalive = TimeSpan.FromSeconds(25),
            });
            Paths.SetOwnCandidates([Endpoint.ToIPEndPoint()]);
            Paths.UpsertPeer(peer.PublicKey, [peer.Endpoint.ToString()], TimeProvider.System.GetUtcNow());
            Relay = new RelayClient(Mux, Paths, Key, TimeProvider.System,
                (to, _) => Task.FromResult<IReadOnlyList<RelayGrant>>([_world.Grant(PublicKey, to)]), null, line => Log.Add(line));
            Relay.AddPeer(peer.PublicKey);
        }

        /// <summary>Sends a UDP packet over the overlay to <paramref name="peer"/>; true when it arrived within <paramref name="timeout"/>.</summary>
        public bool Ping(Agent peer, string payload, TimeSpan timeout)
        {
            Tun.Inject(Ip.Udp4(Overlay, peer.Overlay, System.Text.Encoding.ASCII.GetBytes(payload)));
            var deadline = Environment.TickCount64 + (long)timeout.TotalMilliseconds;
            while (Environment.TickCount64 < deadline)
            {
                if (peer.Tun.TryTake(TimeSpan.FromMilliseconds(50), out var packet) && Ip.Payload(packet) == payload)
                {
                    return true;
                }
            }

            return false;
        }

        public void Dispose()
        {
            Relay?.Dispose();
            Paths.Dispose();
            Device.Dispose();
        }
    }
}
