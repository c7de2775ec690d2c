using System.Buffers.Binary;
using System.Security.Cryptography;
using HamachiCloud.Agent.Engine.IO;
using HamachiCloud.Protocol.Disco;

namespace HamachiCloud.Agent.Engine.Traversal;

/// <summary>
/// Path selection for one peer, pure (time is a parameter): traffic goes through the relay at once
/// (<see cref="SetRelay"/>); at the punch moment every candidate is pinged on a schedule; the first
/// candidate whose pong comes back (both directions work) becomes the direct path, and a better one
/// (a LAN host candidate) replaces it when it answers. A direct path is pinged every second; with no
/// pong for <see cref="PathTiming.DirectTimeout"/> traffic falls back to the relay and direct is
/// re-probed in the background with back-off. Pings from the peer teach peer-reflexive candidates
/// (the NAT mapping it really uses towards us); after the first attempts, ports around each
/// server-reflexive mapping are tried too (port prediction for endpoint-dependent NATs), bounded.
/// Not thread-safe; the owner serialises calls.
/// </summary>
public sealed class PeerPath
{
    private readonly PathTiming _timing;
    private readonly RandomNumberGenerator _random;
    private readonly Dictionary<NetEndpoint, CandidateState> _candidates = [];
    private readonly Dictionary<UInt128, (NetEndpoint To, DateTimeOffset SentAt)> _pending = [];
    private DateTimeOffset? _punchAt;
    private int _attempt;
    private DateTimeOffset _nextReprobe = DateTimeOffset.MaxValue;
    private TimeSpan _backoff;
    private DateTimeOffset _lastDirectPing = DateTimeOffset.MinValue;
    private DateTimeOffset _lastUpgradeProbe = DateTimeOffset.MinValue;

    public PeerPath(PathTiming timing, RandomNumberGenerator random)
    {
        ArgumentNullException.ThrowIfNull(timing);
        ArgumentNullException.ThrowIfNull(random);
        _timing = timing;
        _random = random;
        _backoff = timing.ReprobeMin;
    }

    /// <summary>The relay's virtual endpoint for this peer, once bound.</summary>
    public NetEndpoint? Relay { get; private set; }

    /// <summary>The direct path, while it answers.</summary>
    public NetEndpoint? Direct { get; private set; }

    /// <summary>Where traffic goes now: direct, else the relay, else nowhere yet.</summary>
    public NetEndpoint? Current => Direct ?? Relay;

    public PathKind Kind => Direct is not null ? PathKind.Direct : Relay is not null ? PathKind.Relay : PathKind.None;

    /// <summary>Round-trip time of the latest pong on the current path (direct, or through the relay).</summary>
    public TimeSpan? Rtt => Direct is { } direct ? _candidates[direct].Rtt : RelayRtt;

    /// <summary>Round-trip time of the latest pong through the relay.</summary>
    public TimeSpan? RelayRtt { get; private set; }

    /// <summary>Why the path is not direct (null while direct or before the first punch).</summary>
    public string? WhyNotDirect { get; private set; }

    /// <summary>When the latest pong came back on the direct path.</summary>
    public DateTimeOffset? DirectLastPong => Direct is { } direct ? _candidates[direct].LastPong : null;

    /// <summary>Every candidate known, with its kind, pings sent and whether it ever answered.</summary>
    public IReadOnlyList<CandidateReport> Candidates =>
        [.. _candidates.Select(c => new CandidateReport(c.Key, c.Value.Kind, c.Value.PingsSent, c.Value.LastPong is not null, c.Value.Rtt))];

    public void SetRelay(NetEndpoint? relay) => Relay = relay;

    /// <summary>Adds candidates (from the map or a CallMeMaybe) and starts a punch round at <paramref name="punchAt"/>.</summary>
    public void SetCandidates(IEnumerable<PathCandidate> candidates, DateTimeOffset punchAt)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        foreach (var candidate in candidates)
        {
            Add(candidate);
        }

        if (Direct is null)
        {
            StartPunch(punchAt);
        }
    }

    /// <summary>The peer pinged us from <paramref name="from"/>: a peer-reflexive candidate, probed back at once.</summary>
    public void OnPing(NetEndpoint from, DateTimeOffset now)
    {
        if (VirtualEndpoint.IsVirtual(from))
        {
            return;
        }

        var added = !_candidates.ContainsKey(from);
        Add(new PathCandidate(from, CandidateKind.PeerReflexive));
        if (added && Direct is null && _candidates.TryGetValue(from, out var state))
        {
            state.ProbeNow = true;
        }

        if (Direct is null && _punchAt is null)
        {
            StartPunch(now);
        }
    }

    /// <summary>
    /// A pong with <paramref name="txId"/> came from <paramref name="from"/>. True when it matched a
    /// ping of ours (then the path may have changed; see <see cref="Current"/>).
    /// </summary>
    public bool OnPong(UInt128 txId, NetEndpoint from, DateTimeOffset now)
    {
        if (!_pending.TryGetValue(txId, out var ping) || ping.To != from)
        {
            return false;
        }

        _pending.Remove(txId);

        var rtt = now - ping.SentAt;
        if (VirtualEndpoint.IsVirtual(from))
        {
            RelayRtt = rtt;
            return true;
        }

        if (!_candidates.TryGetValue(from, out var state))
        {
            return false;
        }

        state.LastPong = now;
        state.Rtt = rtt;
        if (Direct is null || (Direct != from && state.Kind < _candidates[Direct.Value].Kind))
        {
            Direct = from;
            WhyNotDirect = null;
            _punchAt = null;
            _nextReprobe = DateTimeOffset.MaxValue;
            _backoff = _timing.ReprobeMin;
        }

        return true;
    }

    /// <summary>Advances to <paramref name="now"/>: appends the pings to send to <paramref name="probes"/>.</summary>
    public void Tick(DateTimeOffset now, List<PathProbe> probes)
    {
        ArgumentNullException.ThrowIfNull(probes);
        ExpirePings(now);
        if (Direct is { } direct)
        {
            TickDirect(direct, now, probes);
            return;
        }

        foreach (var (endpoint, state) in _candidates)
        {
            if (state.ProbeNow)
            {
                state.ProbeNow = false;
                Probe(endpoint, now, probes);
            }
        }

        if (_punchAt is { } punchAt)
        {
            if (_attempt < _timing.PunchSchedule.Count && now >= punchAt + _timing.PunchSchedule[_attempt])
            {
                ProbeAll(now, probes, predict: _attempt >= _timing.PredictionFromAttempt);
                _attempt++;
            }
            else if (_attempt >= _timing.PunchSchedule.Count && now >= punchAt + _timing.PunchSchedule[^1] + _timing.DirectTimeout)
            {
                WhyNotDirect = _candidates.Count == 0 ? "no candidates" : $"no answer from {_candidates.Count} candidate(s)";
                _punchAt = null;
                _nextReprobe = now + _backoff;
            }
        }
        else if (now >= _nextReprobe)
        {
            ProbeAll(now, probes, predict: true);
            _backoff = TimeSpan.FromTicks(Math.Min(_backoff.Ticks * 2, _timing.ReprobeMax.Ticks));
            _nextReprobe = now + _backoff;
        }
    }

    /// <summary>A fresh 96-bit transaction id.</summary>
    public UInt128 NewTxId()
    {
        Span<byte> bytes = stackalloc byte[16];
        _random.GetBytes(bytes);
        return BinaryPrimitives.ReadUInt128BigEndian(bytes) & DiscoMessage.TxIdMask;
    }

    /// <summary>Records a ping through the relay (its pong measures the relay's RTT).</summary>
    public PathProbe? ProbeRelay(DateTimeOffset now)
    {
        if (Relay is not { } relay)
        {
            return null;
        }

        var txId = NewTxId();
        _pending[txId] = (relay, now);
        return new PathProbe(relay, txId);
    }

    private void TickDirect(NetEndpoint direct, DateTimeOffset now, List<PathProbe> probes)
    {
        var state = _candidates[direct];
        var sincePong = now - (state.LastPong ?? now);
        if (sincePong > _timing.DirectTimeout)
        {
            Direct = null;
            WhyNotDirect = $"direct path {direct} stopped answering ({sincePong.TotalSeconds:0.0} s without a pong)";
            _backoff = _timing.ReprobeMin;
            _nextReprobe = now + _backoff;
            return;
        }

        var interval = sincePong > _timing.DirectPingInterval ? _timing.DirectRetryInterval : _timing.DirectPingInterval;
        if (now - _lastDirectPing >= interval)
        {
            _lastDirectPing = now;
            Probe(direct, now, probes);
        }

        if (state.Kind != CandidateKind.Host && now - _lastUpgradeProbe >= _timing.UpgradeInterval)
        {
            _lastUpgradeProbe = now;
            foreach (var (endpoint, candidate) in _candidates)
            {
                if (candidate.Kind == CandidateKind.Host)
                {
                    Probe(endpoint, now, probes);
                }
            }
        }
    }

    private void StartPunch(DateTimeOffset at)
    {
        _punchAt = at;
        _attempt = 0;
    }

    private void ProbeAll(DateTimeOffset now, List<PathProbe> probes, bool predict)
    {
        var known = _candidates.Keys.ToList();
        foreach (var endpoint in known)
        {
            if (_candidates[endpoint].Kind != CandidateKind.Predicted)
            {
                Probe(endpoint, now, probes);
            }
        }

        if (!predict)
        {
            return;
        }

        var predicted = 0;
        foreach (var endpoint in known)
        {
            if (_candidates[endpoint].Kind != CandidateKind.ServerReflexive)
            {
                continue;
            }

            for (var delta = 1; delta <= _timing.PredictionRange && predicted < _timing.MaxPredictedPerAttempt; delta++)
            {
                foreach (var port in (ReadOnlySpan<int>)[endpoint.Port + delta, endpoint.Port - delta])
                {
                    if (port is > 0 and <= ushort.MaxValue && predicted < _timing.MaxPredictedPerAttempt)
                    {
                        var guess = endpoint with { Port = (ushort)port };
                        if (!_candidates.TryGetValue(guess, out var existing) || existing.Kind == CandidateKind.Predicted)
                        {
                            _candidates.TryAdd(guess, new CandidateState(CandidateKind.Predicted));
                            Probe(guess, now, probes);
                            predicted++;
                        }
                    }
                }
            }
        }
    }

    private void Probe(NetEndpoint to, DateTimeOffset now, List<PathProbe> probes)
    {
        var txId = NewTxId();
        _pending[txId] = (to, now);
        _candidates[to].PingsSent++;
        probes.Add(new PathProbe(to, txId));
    }

    private void Add(PathCandidate candidate)
    {
        if (VirtualEndpoint.IsVirtual(candidate.Endpoint))
        {
            return;
        }

        if (_candidates.TryGetValue(candidate.Endpoint, out var existing))
        {
            if (candidate.Kind < existing.Kind)
            {
                existing.Kind = candidate.Kind;
            }

            return;
        }

        if (_candidates.Count(c => c.Value.Kind != CandidateKind.Predicted) < _timing.MaxCandidates)
        {
            _candidates[candidate.Endpoint] = new CandidateState(candidate.Kind);
        }
    }

    private void ExpirePings(DateTimeOffset now)
    {
        if (_pending.Count == 0)
        {
            return;
        }

        List<UInt128>? expired = null;
        foreach (var (txId, ping) in _pending)
        {
            if (now - ping.SentAt > _timing.PingExpiry)
            {
                (expired ??= []).Add(txId);
            }
        }

        foreach (var txId in expired ?? [])
        {
            _pending.Remove(txId);
        }
    }

    private sealed class CandidateState(CandidateKind kind)
    {
        public CandidateKind Kind { get; set; } = kind;

        public int PingsSent { get; set; }

        public DateTimeOffset? LastPong { get; set; }

        public TimeSpan? Rtt { get; set; }

        public bool ProbeNow { get; set; }
    }
}
