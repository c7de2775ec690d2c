using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using HamachiCloud.Agent.Engine.Config;
using HamachiCloud.Agent.Engine.IO;
using HamachiCloud.Agent.Engine.Peers;
using HamachiCloud.Agent.Engine.Send;
using HamachiCloud.Protocol.Crypto;
using HamachiCloud.Protocol.Routing;
using HamachiCloud.Protocol.WireGuard;

namespace HamachiCloud.Agent.Engine.Device;

/// <summary>
/// A WireGuard-compatible device: cryptokey routing between a TUN device and one UDP socket, with
/// handshakes, key rotation, timers, roaming, cookies under load, and broadcast/multicast replication.
/// Three long-lived threads perform what the Protocol layer decides: outbound (TUN → peers), inbound
/// (UDP → TUN, handshakes) and timers (<see cref="PeerTimers.Decide"/> for each peer on every tick).
/// Owns and disposes the identity, TUN device and connection it is given. Peer management and
/// statistics are thread-safe.
/// </summary>
public sealed partial class WireGuardDevice : IDisposable
{
    private static readonly TimeSpan TickInterval = TimeSpan.FromMilliseconds(100);

    private readonly LocalIdentity _identity;
    private readonly ITunDevice _tun;
    private readonly IPacketConn _conn;
    private readonly TimeProvider _time;
    private readonly WireGuardDeviceOptions _options;
    private readonly int _bufferSize;
    private readonly uint _subnetBroadcast;

    private readonly Lock _handshakeLock = new();
    private readonly HandshakeTable _handshakes;
    private readonly Lock _peersLock = new();
    private readonly Dictionary<NodeKey, Peer> _peers = [];
    private volatile Peer[] _peerList = [];
    private readonly Lock _routesLock = new();
    private readonly AllowedIps<Peer> _routes = new();
    private readonly SessionIndexTable _indexes = new();

    private readonly AutoResetEvent _tick = new(false);
    private readonly List<Thread> _threads = [];
    private ITimer? _timer;
    private volatile bool _stopping;
    private int _started;

    private long _malformed;
    private long _badMacHandshakes;
    private long _rejectedHandshakes;
    private long _unknownIndex;
    private long _noRoute;
    private long _cookieRepliesSent;
    private long _rateLimited;
    private long _internalErrors;
    private long _tickRequests;
    private long _ticksDone;
    private long _outboundAllocatedBytes;
    private long _inboundAllocatedBytes;

    /// <summary>
    /// A stopped device for <paramref name="identity"/> moving packets between <paramref name="tun"/>
    /// and <paramref name="conn"/>; time comes from <paramref name="time"/>.
    /// </summary>
    public WireGuardDevice(LocalIdentity identity, ITunDevice tun, IPacketConn conn, TimeProvider time, WireGuardDeviceOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(identity);
        ArgumentNullException.ThrowIfNull(tun);
        ArgumentNullException.ThrowIfNull(conn);
        ArgumentNullException.ThrowIfNull(time);
        _options = options ?? new WireGuardDeviceOptions();
        _options.Validate();
        _identity = identity;
        _tun = tun;
        _conn = conn;
        _time = time;
        _handshakes = new HandshakeTable(identity, RandomNumberGenerator.Create());
        _bufferSize = Math.Max(_options.MaxDatagramSize, tun.Mtu + 128);
        _subnetBroadcast = SubnetBroadcast(_options.OverlayAddress, _options.OverlayPrefixLength);
    }

    /// <summary>Our static public key.</summary>
    public NodeKey PublicKey => _identity.PublicKey;

    /// <summary>The UDP port peers reach us on (the connection's).</summary>
    public ushort ListenPort => _conn.LocalPort;

    /// <summary>Builds a device from a wg-quick-like configuration and adds its peers.</summary>
    public static WireGuardDevice Create(DeviceConfig config, ITunDevice tun, IPacketConn conn, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(config);
        var options = config.Options with { OverlayAddress = config.Address ?? config.Options.OverlayAddress, OverlayPrefixLength = config.Address is null ? config.Options.OverlayPrefixLength : config.PrefixLength };
        var device = new WireGuardDevice(new LocalIdentity(config.PrivateKey), tun, conn, time, options);
        foreach (var peer in config.Peers)
        {
            device.AddPeer(peer);
        }

        return device;
    }

    /// <summary>Starts the outbound, inbound and timer threads. Call once.</summary>
    public void Start()
    {
        if (Interlocked.Exchange(ref _started, 1) != 0)
        {
            throw new InvalidOperationException("engine: device already started");
        }

        StartThread("wg-outbound", RunOutbound);
        StartThread("wg-inbound", RunInbound);
        StartThread("wg-timers", RunTimers);
        _timer = _time.CreateTimer(static state => ((WireGuardDevice)state!).RequestTick(), this, TickInterval, TickInterval);
    }

    /// <summary>Stops the threads, closes the TUN device and the connection, and erases all keys.</summary>
    public void Stop()
    {
        if (_stopping)
        {
            return;
        }

        _stopping = true;
        _timer?.Dispose();
        _tick.Set();
        _tun.Dispose();
        _conn.Dispose();
        foreach (var thread in _threads)
        {
            thread.Join(TimeSpan.FromSeconds(5));
        }

        foreach (var peer in _peerList)
        {
            RemovePeer(peer.PublicKey);
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Stop();
        _tick.Dispose();
        _identity.Dispose();
    }

    /// <summary>Adds a peer, replacing any peer with the same public key (its sessions are dropped).</summary>
    public void AddPeer(PeerConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        RemovePeer(config.PublicKey);
        var now = _time.GetUtcNow();
        lock (_handshakeLock)
        {
            var handshake = _handshakes.AddPeer(config.PublicKey, config.PresharedKey);
            var peer = new Peer(config.PublicKey, handshake, [.. config.AllowedIps], config.PersistentKeepalive, _indexes,
                _options.StagedPacketsPerPeer, _bufferSize, _options.BroadcastPacketsPerSecond, now);
            if (config.Endpoint is { } endpoint)
            {
                peer.Endpoint = NetEndpoint.From(endpoint);
                peer.HasEndpoint = true;
                peer.HandshakeWanted = config.PersistentKeepalive is not null;
            }

            lock (_peersLock)
            {
                _peers[config.PublicKey] = peer;
                _peerList = [.. _peers.Values];
            }

            lock (_routesLock)
            {
                foreach (var prefix in config.AllowedIps)
                {
                    _routes.Insert(prefix, peer);
                }
            }
        }

        _tick.Set();
    }

    /// <summary>
    /// Points a peer at <paramref name="endpoint"/> (path selection: the relay's virtual endpoint or a
    /// direct path), keeping its sessions. Roaming still follows the peer's latest authenticated
    /// packet afterwards. False if it is not a peer.
    /// </summary>
    public bool SetPeerEndpoint(NodeKey publicKey, NetEndpoint endpoint)
    {
        Peer? peer;
        lock (_peersLock)
        {
            _peers.TryGetValue(publicKey, out peer);
        }

        if (peer is null)
        {
            return false;
        }

        lock (peer.Sync)
        {
            if (!peer.HasEndpoint)
            {
                peer.HandshakeWanted = true; // it had nowhere to send its first initiation
            }

            peer.Endpoint = endpoint;
            peer.HasEndpoint = true;
        }

        _tick.Set();
        return true;
    }

    /// <summary>Removes a peer and erases its sessions; false if it was not a peer.</summary>
    public bool RemovePeer(NodeKey publicKey)
    {
        lock (_handshakeLock)
        {
            Peer? peer;
            lock (_peersLock)
            {
                if (!_peers.Remove(publicKey, out peer))
                {
                    return false;
                }

                _peerList = [.. _peers.Values];
            }

            peer.Removed = true;
            _handshakes.RemovePeer(publicKey);
            _indexes.Remove(peer.PendingIndex);
            peer.PendingIndex = 0;
            lock (_routesLock)
            {
                _routes.RemoveByPeer(peer);
            }

            lock (peer.Sync)
            {
                peer.ZeroSessions();
                peer.Staged.Clear();
            }

            return true;
        }
    }

    /// <summary>A snapshot of every peer's counters.</summary>
    public IReadOnlyList<PeerStatistics> GetPeerStatistics()
    {
        var peers = _peerList;
        var result = new List<PeerStatistics>(peers.Length);
        foreach (var peer in peers)
        {
            result.Add(Snapshot(peer));
        }

        return result;
    }

    /// <summary>A snapshot of one peer's counters, or null if it is not a peer.</summary>
    public PeerStatistics? GetPeerStatistics(NodeKey publicKey)
    {
        Peer? peer;
        lock (_peersLock)
        {
            _peers.TryGetValue(publicKey, out peer);
        }

        return peer is null ? null : Snapshot(peer);
    }

    /// <summary>Device-wide counters.</summary>
    public DeviceStatistics Statistics => new()
    {
        MalformedDatagrams = Interlocked.Read(ref _malformed),
        BadMacHandshakes = Interlocked.Read(ref _badMacHandshakes),
        RejectedHandshakes = Interlocked.Read(ref _rejectedHandshakes),
        UnknownIndex = Interlocked.Read(ref _unknownIndex),
        NoRoute = Interlocked.Read(ref _noRoute),
        CookieRepliesSent = Interlocked.Read(ref _cookieRepliesSent),
        RateLimited = Interlocked.Read(ref _rateLimited),
        InternalErrors = Interlocked.Read(ref _internalErrors),
    };

    /// <summary>True when the timer stage has handled every tick so far (tests wait for this after advancing a fake clock).</summary>
    internal bool TimersIdle => Volatile.Read(ref _ticksDone) == Volatile.Read(ref _tickRequests);

    /// <summary>
    /// Bytes the outbound and inbound threads have allocated, as of their latest batch (a diagnostic for
    /// tests proving the steady-state hot path allocates nothing per packet).
    /// </summary>
    internal (long Outbound, long Inbound) StageAllocatedBytes =>
        (Volatile.Read(ref _outboundAllocatedBytes), Volatile.Read(ref _inboundAllocatedBytes));

    private static uint SubnetBroadcast(IPAddress? address, int prefixLength)
    {
        if (address is null || address.AddressFamily != AddressFamily.InterNetwork || prefixLength is <= 0 or >= 31)
        {
            return 0;
        }

        Span<byte> bytes = stackalloc byte[4];
        address.TryWriteBytes(bytes, out _);
        return BinaryPrimitives.ReadUInt32BigEndian(bytes) | (uint.MaxValue >> prefixLength);
    }

    private PeerStatistics Snapshot(Peer peer)
    {
        lock (peer.Sync)
        {
            return peer.Counters.Snapshot(peer, peer.LastHandshake, peer.HasEndpoint ? peer.Endpoint : null);
        }
    }

    private void RequestTick()
    {
        Interlocked.Increment(ref _tickRequests);
        _tick.Set();
    }

    /// <summary>A stage's send batch: flushed every BatchSize datagrams, with room for a staged queue and a fan-out on top.</summary>
    private SendBatch NewSendBatch() =>
        new(_conn, _options.BatchSize, (2 * _options.BatchSize) + _options.StagedPacketsPerPeer, _bufferSize + 64);

    private void StartThread(string name, Action body)
    {
        var thread = new Thread(() => body()) { Name = name, IsBackground = true };
        _threads.Add(thread);
        thread.Start();
    }
}
