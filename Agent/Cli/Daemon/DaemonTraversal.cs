using System.Net;
using System.Security.Cryptography;
using HamachiCloud.Agent.Control;
using HamachiCloud.Agent.Engine.Device;
using HamachiCloud.Agent.Engine.IO;
using HamachiCloud.Agent.Engine.Traversal;
using HamachiCloud.Protocol.Control;
using HamachiCloud.Protocol.Crypto;
using HamachiCloud.Protocol.Disco;

namespace HamachiCloud.Agent.Daemon;

/// <summary>
/// The daemon's traversal: <see cref="PathManager"/> (disco, path selection) and <see cref="RelayClient"/>
/// (tokens from the hub, UDP or WebSocket binding) over the <see cref="SocketMux"/>, fed with the peers
/// of every applied map; reports paths to the server (<c>ReportPaths</c>) when they change and every
/// minute. Thread-safe.
/// </summary>
public sealed class DaemonTraversal : IDisposable
{
    private static readonly TimeSpan ReportInterval = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan ReportCheck = TimeSpan.FromSeconds(1);

    private readonly SocketMux _mux;
    private readonly WireGuardDevice _device;
    private readonly TimeProvider _time;
    private readonly TextWriter _log;
    private readonly Func<ControlConnection?> _connection;
    private readonly Func<IReadOnlyList<RelayInfo>> _relays;
    private readonly Func<IReadOnlyList<IPEndPoint>> _ownCandidates;
    private readonly RelayClient _relayClient;
    private readonly ITimer _reportTimer;
    private readonly Lock _lock = new();
    private readonly HashSet<NodeKey> _peers = [];
    private string _lastReport = "";
    private DateTimeOffset _lastReportAt = DateTimeOffset.MinValue;
    private int _reporting;

    public DaemonTraversal(SocketMux mux, NodePrivateKey nodeKey, WireGuardDevice device, TimeProvider time, TextWriter log,
        Func<ControlConnection?> connection, Func<IReadOnlyList<RelayInfo>> relays, Func<IReadOnlyList<IPEndPoint>> ownCandidates)
    {
        _mux = mux;
        _device = device;
        _time = time;
        _log = log;
        _connection = connection;
        _relays = relays;
        _ownCandidates = ownCandidates;
        Paths = new PathManager(mux, new DiscoBox(nodeKey, RandomNumberGenerator.Create()), time, RandomNumberGenerator.Create(),
            (peer, to) => device.SetPeerEndpoint(peer, to), Log);
        _relayClient = new RelayClient(mux, Paths, nodeKey, time, FetchGrantsAsync,
            (url, onFrame, onConnected) => new RelayWebSocketChannel(url, onFrame, onConnected, time, Log), Log);
        _reportTimer = time.CreateTimer(_ => _ = ReportAsync(), null, ReportCheck, ReportCheck);
    }

    public PathManager Paths { get; }

    /// <summary>The NAT probe's "UDP blocked" verdict: relays are then reached over WebSocket at once.</summary>
    public Func<bool>? UdpBlocked
    {
        get => _relayClient.UdpBlocked;
        set => _relayClient.UdpBlocked = value;
    }

    /// <summary>The NAT probe's "UDP works" verdict: a relay moved to WebSocket by the quick timeout goes back to UDP.</summary>
    public Func<bool>? UdpWorks
    {
        get => _relayClient.UdpWorks;
        set => _relayClient.UdpWorks = value;
    }

    public SocketMux Mux => _mux;

    /// <summary>Brings the traversal in line with the applied peers (online peers of the map, with their candidates).</summary>
    public void Apply(IEnumerable<(NodeKey Key, PeerInfo Peer)> peers)
    {
        var now = _time.GetUtcNow();
        Paths.SetOwnCandidates(_ownCandidates());
        var wanted = peers.ToList();
        List<NodeKey> removed;
        lock (_lock)
        {
            removed = [.. _peers.Where(k => !wanted.Any(w => w.Key.Equals(k)))];
            foreach (var key in removed)
            {
                _peers.Remove(key);
            }

            foreach (var (key, _) in wanted)
            {
                _peers.Add(key);
            }
        }

        foreach (var key in removed)
        {
            _relayClient.RemovePeer(key);
            Paths.RemovePeer(key);
        }

        foreach (var (key, peer) in wanted)
        {
            Paths.UpsertPeer(key, peer.Endpoints ?? [], now);
            _relayClient.AddPeer(key);
        }
    }

    /// <summary>The device re-created <paramref name="peer"/>: point it at the current path again.</summary>
    public void Reapply(NodeKey peer)
    {
        Paths.Reapply(peer);
        if (Paths.CurrentEndpoint(peer) is { } endpoint)
        {
            _device.SetPeerEndpoint(peer, endpoint);
        }
    }

    /// <summary>"direct", "relay" or "-" (not connected yet), and the RTT in milliseconds.</summary>
    public (string Path, string? Endpoint, double? RttMilliseconds) Describe(NodeKey peer)
    {
        var status = Paths.Status(peer);
        if (status is null || status.Kind == PathKind.None)
        {
            return ("-", null, null);
        }

        var path = status.Kind == PathKind.Direct ? "direct" : status.RelayOverWebSocket ? "relay (tcp)" : "relay";
        var endpoint = status.Kind == PathKind.Direct ? status.Endpoint?.ToString() : "relay";
        return (path, endpoint, status.Rtt is { } rtt ? Math.Round(rtt.TotalMilliseconds, 1) : null);
    }

    /// <summary>The path report as sent to the server.</summary>
    public PathReport Report() => new([.. Paths.Snapshot().Select(s => new PeerPathReport(
        s.Peer.ToBase64(),
        s.Kind switch { PathKind.Direct => PathKinds.Direct, PathKind.Relay => PathKinds.Relay, _ => PathKinds.None },
        s.Kind == PathKind.Direct ? s.Endpoint?.ToString() : s.Kind == PathKind.Relay ? "relay" : null,
        [.. s.Candidates.Select(c => $"{c.Endpoint} {c.Kind} {c.PingsSent} {(c.Answered ? "answered" : "silent")}")],
        s.WhyNotDirect,
        s.Rtt is { } rtt ? Math.Round(rtt.TotalMilliseconds, 2) : null,
        s.RelayOverWebSocket))]);

    /// <summary>Stops path reports (the daemon is saying goodbye; a report after it would be refused).</summary>
    /// <summary>Every peer's relay tokens are fetched again now (the server said their plan changed); the relays in use keep working meanwhile.</summary>
    public void RefreshRelayTokens() => _relayClient.RefreshTokens();

    public void StopReporting() => _reportTimer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);

    public void Dispose()
    {
        _reportTimer.Dispose();
        _relayClient.Dispose();
        Paths.Dispose();
    }

    private void Log(string line)
    {
        lock (_log)
        {
            _log.WriteLine($"hamachi: {line}");
            _log.Flush();
        }
    }

    private async Task ReportAsync()
    {
        if (_connection() is not { } connection || Interlocked.Exchange(ref _reporting, 1) == 1)
        {
            return;
        }

        try
        {
            var report = Report();
            // Changes are judged on path and endpoint only (RTT moves all the time).
            var signature = string.Join(';', report.Peers.Select(p => $"{p.PeerNodeKey}={p.Path}@{p.Endpoint}"));
            var now = _time.GetUtcNow();
            if (signature == _lastReport && now - _lastReportAt < ReportInterval)
            {
                return;
            }

            await connection.ReportPathsAsync(report, CancellationToken.None).ConfigureAwait(false);
            _lastReport = signature;
            _lastReportAt = now;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            Log($"path report failed: {e.Message}");
        }
        finally
        {
            Volatile.Write(ref _reporting, 0);
        }
    }

    private async Task<IReadOnlyList<RelayGrant>> FetchGrantsAsync(NodeKey peer, CancellationToken ct)
    {
        var connection = _connection() ?? throw new InvalidOperationException("not connected to the server");
        var grant = await connection.GetRelayTokensAsync(peer.ToBase64(), ct).ConfigureAwait(false);
        if (grant.ErrorCode is not null)
        {
            throw new InvalidOperationException($"{grant.Error} ({grant.ErrorCode})");
        }

        var relays = _relays();
        var grants = new List<RelayGrant>();
        var token = new byte[Protocol.Relay.RelayToken.Size + 3];
        foreach (var entry in grant.Tokens ?? [])
        {
            var relay = relays.FirstOrDefault(r => r.Id == entry.RelayId);
            var udp = relay?.UdpEndpoints?.Select(e => IPEndPoint.TryParse(e, out var parsed) ? parsed : null).OfType<IPEndPoint>().FirstOrDefault();
            if (relay is null || udp is null || !Convert.TryFromBase64String(entry.Token, token, out var written) || written != Protocol.Relay.RelayToken.Size)
            {
                continue;
            }

            Uri? ws = relay.WebSocketUrl is { } url && Uri.TryCreate(url, UriKind.Absolute, out var parsedUrl) ? parsedUrl : null;
            grants.Add(new RelayGrant(entry.RelayId, NetEndpoint.From(udp), ws, token.AsSpan(0, written).ToArray(), entry.ExpiresAt));
        }

        return grants;
    }
}
