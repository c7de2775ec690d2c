using System.Net;
using System.Security.Cryptography;
using HamachiCloud.Agent.Engine.IO;
using HamachiCloud.Protocol.Crypto;
using HamachiCloud.Protocol.Disco;

namespace HamachiCloud.Agent.Engine.Traversal;

/// <summary>
/// Runs <see cref="PeerPath"/> for every peer over the <see cref="SocketMux"/>: answers disco pings
/// with pongs, feeds pongs, pings and CallMeMaybe to the paths, sends the pings they ask for every
/// tick (sealed with <see cref="DiscoBox"/>), tells peers our candidates through the relay at the
/// punch moment, and points the WireGuard device at each peer's current path through
/// <c>setEndpoint</c> whenever it changes. Thread-safe (one lock; sends happen outside it).
/// </summary>
public sealed class PathManager : IDisposable
{
    private static readonly TimeSpan TickInterval = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan RelayPingInterval = TimeSpan.FromSeconds(5);

    private readonly SocketMux _mux;
    private readonly DiscoBox _box;
    private readonly TimeProvider _time;
    private readonly RandomNumberGenerator _random;
    private readonly PathTiming _timing;
    private readonly Action<NodeKey, NetEndpoint> _setEndpoint;
    private readonly Action<string> _log;
    private readonly Lock _lock = new();
    private readonly Dictionary<NodeKey, Entry> _peers = [];
    private readonly ITimer _timer;
    private IReadOnlyList<IPEndPoint> _ownCandidates = [];

    public PathManager(SocketMux mux, DiscoBox box, TimeProvider time, RandomNumberGenerator random, Action<NodeKey, NetEndpoint> setEndpoint,
        Action<string>? log = null, PathTiming? timing = null)
    {
        ArgumentNullException.ThrowIfNull(mux);
        ArgumentNullException.ThrowIfNull(box);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(random);
        ArgumentNullException.ThrowIfNull(setEndpoint);
        _mux = mux;
        _box = box;
        _time = time;
        _random = random;
        _setEndpoint = setEndpoint;
        _log = log ?? (_ => { });
        _timing = timing ?? new PathTiming();
        _mux.DiscoHandler = OnDisco;
        _timer = time.CreateTimer(static state => ((PathManager)state!).Tick(), this, TickInterval, TickInterval);
    }

    /// <summary>Disco datagrams that did not open (bad tag, unknown sender, malformed).</summary>
    public long DiscoRejected => Interlocked.Read(ref _discoRejected);

    private long _discoRejected;

    /// <summary>Our own candidates ("ip:port"), told to peers in CallMeMaybe.</summary>
    public void SetOwnCandidates(IEnumerable<IPEndPoint> candidates)
    {
        lock (_lock)
        {
            _ownCandidates = [.. candidates.Take(DiscoMessage.MaxEndpoints)];
        }
    }

    /// <summary>
    /// Adds or updates a peer with its candidates ("ip:port" from the map). New candidates start a
    /// punch round at <paramref name="punchAt"/>; the relay (if bound) carries traffic meanwhile.
    /// </summary>
    public void UpsertPeer(NodeKey peer, IEnumerable<string> candidates, DateTimeOffset punchAt)
    {
        ArgumentNullException.ThrowIfNull(peer);
        var parsed = candidates.Select(PathCandidate.Parse).OfType<PathCandidate>().ToList();
        lock (_lock)
        {
            if (!_peers.TryGetValue(peer, out var entry))
            {
                entry = new Entry(new PeerPath(_timing, _random));
                _peers[peer] = entry;
            }

            var fresh = parsed.Where(c => !entry.MapCandidates.Contains(c)).ToList();
            if (fresh.Count > 0 || !entry.Punched)
            {
                entry.MapCandidates.UnionWith(fresh);
                entry.Path.SetCandidates(fresh, punchAt);
                entry.Punched = true;
                entry.CallMeMaybeDue = true;
            }
        }
    }

    public void RemovePeer(NodeKey peer)
    {
        lock (_lock)
        {
            _peers.Remove(peer);
        }

        _box.Forget(peer);
    }

    /// <summary>The relay (virtual endpoint) carrying this peer's traffic, or null when no relay is bound.</summary>
    public void SetRelay(NodeKey peer, NetEndpoint? relay, bool overWebSocket = false)
    {
        lock (_lock)
        {
            if (_peers.TryGetValue(peer, out var entry))
            {
                var had = entry.Path.Relay;
                entry.Path.SetRelay(relay);
                entry.RelayOverWebSocket = overWebSocket;
                if (had is null && relay is not null)
                {
                    entry.CallMeMaybeDue = true;
                }
            }
        }

        Tick();
    }

    /// <summary>Every peer's path now.</summary>
    public IReadOnlyList<PeerPathStatus> Snapshot()
    {
        lock (_lock)
        {
            return [.. _peers.Select(p => new PeerPathStatus(p.Key, p.Value.Path.Kind, p.Value.Path.Current, p.Value.Path.Rtt,
                p.Value.Path.WhyNotDirect, p.Value.Path.Candidates, p.Value.RelayOverWebSocket))];
        }
    }

    public PeerPathStatus? Status(NodeKey peer) => Snapshot().FirstOrDefault(s => s.Peer.Equals(peer));

    public void Dispose() => _timer.Dispose();

    /// <summary>One step: every path advances; pings, CallMeMaybe and endpoint changes are performed outside the lock.</summary>
    public void Tick()
    {
        var now = _time.GetUtcNow();
        var sends = new List<(NodeKey Peer, NetEndpoint To, DiscoMessage Message)>();
        var changes = new List<(NodeKey Peer, NetEndpoint To, string Why)>();
        var probes = new List<PathProbe>();
        lock (_lock)
        {
            foreach (var (peer, entry) in _peers)
            {
                probes.Clear();
                var before = entry.Path.Kind;
                entry.Path.Tick(now, probes);
                foreach (var probe in probes)
                {
                    sends.Add((peer, probe.To, DiscoMessage.Ping(probe.TxId)));
                }

                if (entry.Path.Relay is { } relay)
                {
                    if (entry.CallMeMaybeDue && _ownCandidates.Count > 0)
                    {
                        sends.Add((peer, relay, DiscoMessage.CallMeMaybe(entry.Path.NewTxId(), _ownCandidates)));
                    }

                    entry.CallMeMaybeDue = false;
                    // Every second until the relay's RTT is known (the peer may not have bound yet), then every 5 s.
                    var relayInterval = entry.Path.RelayRtt is null ? TimeSpan.FromSeconds(1) : RelayPingInterval;
                    if (now - entry.LastRelayPing >= relayInterval && entry.Path.ProbeRelay(now) is { } relayProbe)
                    {
                        entry.LastRelayPing = now;
                        sends.Add((peer, relayProbe.To, DiscoMessage.Ping(relayProbe.TxId)));
                    }
                }

                if (entry.Path.Current is { } current && current != entry.Applied)
                {
                    // Under the lock so two ticks cannot apply their changes out of order (the device never calls back into us while holding its locks).
                    entry.Applied = current;
                    _setEndpoint(peer, current);
                    changes.Add((peer, current, entry.Path.Kind == PathKind.Direct ? "direct" : $"relay (was {before}; {entry.Path.WhyNotDirect ?? "no direct answer yet"})"));
                }
            }
        }

        foreach (var (peer, to, why) in changes)
        {
            _log($"{now:HH:mm:ss.fff} path to {peer}: {why} via {to}");
        }

        Span<byte> buffer = stackalloc byte[DiscoBox.MaximumSize];
        foreach (var (peer, to, message) in sends)
        {
            if (_box.TrySeal(peer, message, buffer, out var written))
            {
                _mux.SendRaw(buffer[..written], to);
            }
        }
    }

    /// <summary>The device re-created <paramref name="peer"/> (its endpoint is gone): apply the current path again at the next tick.</summary>
    public void Reapply(NodeKey peer)
    {
        lock (_lock)
        {
            if (_peers.TryGetValue(peer, out var entry))
            {
                entry.Applied = null;
            }
        }
    }

    /// <summary>The current endpoint chosen for <paramref name="peer"/> (to re-apply after the device re-created the peer).</summary>
    public NetEndpoint? CurrentEndpoint(NodeKey peer)
    {
        lock (_lock)
        {
            return _peers.TryGetValue(peer, out var entry) ? entry.Path.Current : null;
        }
    }

    private void OnDisco(ReadOnlySpan<byte> datagram, NetEndpoint from)
    {
        if (!_box.TryOpen(datagram, out var sender, out var message))
        {
            Interlocked.Increment(ref _discoRejected);
            return;
        }

        var now = _time.GetUtcNow();
        DiscoMessage? reply = null;
        var tickNow = false;
        lock (_lock)
        {
            if (!_peers.TryGetValue(sender!, out var entry))
            {
                Interlocked.Increment(ref _discoRejected);
                return;
            }

            switch (message!.Type)
            {
                case DiscoMessageType.Ping:
                    entry.Path.OnPing(from, now);
                    reply = DiscoMessage.Pong(message.TxId, VirtualEndpoint.IsVirtual(from) ? new IPEndPoint(IPAddress.IPv6None, 0) : from.ToIPEndPoint());
                    tickNow = entry.Path.Direct is null;
                    break;
                case DiscoMessageType.Pong:
                    var before = entry.Path.Current;
                    tickNow = entry.Path.OnPong(message.TxId, from, now) && entry.Path.Current != before;
                    break;
                case DiscoMessageType.CallMeMaybe:
                    var candidates = (message.Endpoints ?? []).Select(e => PathCandidate.Parse(e.ToString())).OfType<PathCandidate>().ToList();
                    entry.Path.SetCandidates(candidates, now);
                    tickNow = true;
                    break;
            }
        }

        if (reply is not null)
        {
            Span<byte> buffer = stackalloc byte[DiscoBox.MaximumSize];
            if (_box.TrySeal(sender!, reply, buffer, out var written))
            {
                _mux.SendRaw(buffer[..written], from);
            }
        }

        if (tickNow)
        {
            Tick();
        }
    }

    private sealed class Entry(PeerPath path)
    {
        public PeerPath Path { get; } = path;

        public HashSet<PathCandidate> MapCandidates { get; } = [];

        public bool Punched { get; set; }

        public bool CallMeMaybeDue { get; set; }

        public NetEndpoint? Applied { get; set; }

        public DateTimeOffset LastRelayPing { get; set; } = DateTimeOffset.MinValue;

        public bool RelayOverWebSocket { get; set; }
    }
}
