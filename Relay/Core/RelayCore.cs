using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Security.Cryptography;
using HamachiCloud.Protocol.Crypto;
using HamachiCloud.Protocol.Net;
using HamachiCloud.Protocol.Relay;

namespace HamachiCloud.Relay.Core;

/// <summary>
/// The relay's decisions, free of sockets: <see cref="Handle"/> takes one relay frame from a source and returns
/// what to send (Reply to the sender, Forward to a bound peer, or Drop), counting every refusal by reason.
/// <para>
/// Bindings are keyed by (fromNodeKey, toNodeKey); each holds the source it was bound from, the token's expiry and a
/// token bucket with the token's bandwidth. A Bind refreshes a binding only from the source that holds it; from any
/// other source (or with no binding yet) it gets a Challenge, and only a BindProof from that source (a cookie issued
/// to it and a proof of the fromNodeKey, <see cref="RelayBindProof"/>) makes or moves the binding, so a captured
/// Bind or BindProof replayed from elsewhere moves nothing. A Send(K_T) from S is forwarded only when S holds a live binding
/// (K_S → K_T) and K_T holds a live binding (K_T → K_S); it goes out as Recv(K_S) to K_T's source. Everything
/// unexpected is refused: no server key yet, bad signature, other relay, expired, banned source, banned node key (a
/// banned device, or a device of a banned account, at either end), malformed. Each refusal by a ban is counted per
/// ban id (<see cref="DrainBanHits"/>, reported to the Api with the heartbeat).
/// </para>
/// Thread-safe: one lock around each call (calls are short and allocation-free on the Send path). Disposed with the process.
/// </summary>
public sealed class RelayCore : IDisposable
{
    private readonly Lock _lock = new();
    private readonly Guid _relayId;
    private readonly int _maxBindings;
    private readonly Dictionary<(NodeKeyValue From, NodeKeyValue To), Binding> _byPair = [];
    private readonly Dictionary<(RelaySource Source, NodeKeyValue To), Binding> _bySource = [];
    private readonly BindChallenges _challenges;
    private readonly HandshakeLimiter? _handshakes;
    private readonly long[] _dropped = new long[Enum.GetValues<RelayDropReason>().Length];
    private SigningPublicKey? _issuer;
    private readonly Dictionary<Guid, long> _banHits = [];
    private readonly Func<BanRule, bool> _actsNow;
    private PrefixIndex<BanRule> _bans = new([]);
    private Dictionary<NodeKeyValue, BanRule> _bannedKeys = [];
    private DateTimeOffset _banCheckTime;
    private long _bindsAccepted;
    private long _forwarded;
    private long _forwardedBytes;
    private long _stunAnswered;
    private long _bindsFromCache;
    private long _challengesSent;
    private long _bindsProven;
    private DateTimeOffset _nextSweep;
    private readonly Dictionary<(NodeKeyValue From, NodeKeyValue To), long> _usageOfGone = [];

    /// <param name="random">Makes the relay's X25519 key and cookie secret for Bind challenges (the composition root's CSPRNG).</param>
    /// <param name="handshakesPerSecond">
    /// Bind and BindProof frames per second per source address (IPv4 address, IPv6 /64), with a burst of twice as
    /// many; 0 = no limit. Frames over it are dropped before any signature check.
    /// </param>
    public RelayCore(Guid relayId, int maxBindings, RandomNumberGenerator random, int handshakesPerSecond = 0)
    {
        _relayId = relayId;
        _maxBindings = maxBindings;
        _challenges = new BindChallenges(random);
        _actsNow = rule => rule.ExpiresAt is null || rule.ExpiresAt > _banCheckTime; // one delegate: no allocation per datagram
        _handshakes = handshakesPerSecond > 0 ? new HandshakeLimiter(handshakesPerSecond, 2.0 * handshakesPerSecond, Math.Max(maxBindings, 1024)) : null;
    }

    /// <summary>True once the server identity key is known (binds are refused before).</summary>
    public bool HasIssuer
    {
        get
        {
            lock (_lock)
            {
                return _issuer is not null;
            }
        }
    }

    /// <summary>The server identity key that signs relay tokens (from the Api heartbeat or configuration).</summary>
    public void SetIssuer(SigningPublicKey issuer)
    {
        lock (_lock)
        {
            _issuer = issuer;
        }
    }

    /// <summary>Replaces the banned IP ranges (configuration of a relay without the Api: no ids, no expiry).</summary>
    public void SetBans(IReadOnlyList<IPNetwork> bans) => SetBans(bans.Select(b => new RelayBanRule(Guid.Empty, b, [], null)).ToList(), DateTimeOffset.MinValue);

    /// <summary>
    /// Replaces every ban (from the Api's push or heartbeat): ranges, and node keys of banned devices and accounts.
    /// Bindings from a banned source, or from or to a banned node key, are removed at once: their relayed flows stop.
    /// </summary>
    public void SetBans(IReadOnlyList<RelayBanRule> bans, DateTimeOffset now)
    {
        lock (_lock)
        {
            var ranges = new List<(IPNetwork, BanRule)>();
            var keys = new Dictionary<NodeKeyValue, BanRule>();
            foreach (var ban in bans)
            {
                var rule = new BanRule(ban.Id, ban.ExpiresAt);
                if (ban.Range is { } range)
                {
                    ranges.Add((range, rule));
                }

                foreach (var key in ban.NodeKeys)
                {
                    if (key.Length == 32)
                    {
                        keys[NodeKeyValue.From(key)] = rule;
                    }
                }
            }

            _bans = new PrefixIndex<BanRule>(ranges);
            _bannedKeys = keys;
            foreach (var binding in _byPair.Values.ToList())
            {
                if ((BannedBy(binding.Source, now) ?? BannedKey(binding.From, now) ?? BannedKey(binding.To, now)) is { } rule)
                {
                    CountBan(rule);
                    Remove(binding);
                }
            }
        }
    }

    /// <summary>Takes the refusals counted per ban since the last call (ban id → count).</summary>
    public Dictionary<Guid, long> DrainBanHits()
    {
        lock (_lock)
        {
            var hits = new Dictionary<Guid, long>(_banHits);
            _banHits.Clear();
            return hits;
        }
    }

    /// <summary>Puts counts back (a heartbeat that did not reach the Api).</summary>
    public void ReturnBanHits(IReadOnlyDictionary<Guid, long> hits)
    {
        lock (_lock)
        {
            foreach (var (id, n) in hits)
            {
                _banHits[id] = _banHits.GetValueOrDefault(id) + n;
            }
        }
    }

    /// <summary>Counts a STUN answer (the responder is separate; the counters live here).</summary>
    public void CountStun()
    {
        lock (_lock)
        {
            _stunAnswered++;
        }
    }

    /// <summary>Counts a datagram the socket loop dropped before the core (not STUN, not a relay frame).</summary>
    public void CountDrop(RelayDropReason reason)
    {
        lock (_lock)
        {
            _dropped[(int)reason]++;
        }
    }

    /// <summary>A WebSocket connection closed: its bindings go.</summary>
    public void Disconnected(RelaySource source)
    {
        lock (_lock)
        {
            foreach (var binding in _byPair.Values.Where(b => b.Source == source).ToList())
            {
                Remove(binding);
            }
        }
    }

    /// <summary>
    /// Decides what to do with one relay frame from <paramref name="from"/> at <paramref name="now"/>; the bytes to
    /// send (BindOk, Refused or Recv) are written to <paramref name="output"/>, which must hold the datagram's
    /// length (Recv is as long as Send) and at least <see cref="RelayFrame.BindOkSize"/> bytes.
    /// </summary>
    public RelayAction Handle(RelaySource from, ReadOnlySpan<byte> datagram, DateTimeOffset now, Span<byte> output)
    {
        lock (_lock)
        {
            if (now >= _nextSweep)
            {
                Sweep(now);
                _nextSweep = now.AddSeconds(10);
            }

            if (BannedBy(from, now) is { } ban)
            {
                CountBan(ban);
                return Refuse(RelayDropReason.Banned, RelayRefusal.Banned, default, output);
            }

            if (!RelayFrame.TryParse(datagram, out var frame))
            {
                return Refuse(RelayDropReason.Malformed, RelayRefusal.Malformed, default, output);
            }

            if (frame.Type is RelayFrameType.Bind or RelayFrameType.BindProof && _handshakes?.TryTake(from, now) == false)
            {
                _dropped[(int)RelayDropReason.HandshakeRateLimited]++;
                return RelayAction.Dropped(RelayDropReason.HandshakeRateLimited);
            }

            return frame.Type switch
            {
                RelayFrameType.Bind => Bind(from, frame.Token, now, output),
                RelayFrameType.BindProof => BindProof(from, frame, now, output),
                RelayFrameType.Send => Send(from, frame, now, output),
                _ => Refuse(RelayDropReason.Malformed, RelayRefusal.Malformed, default, output),
            };
        }
    }

    /// <summary>Wipes the relay's challenge key and cookie secret.</summary>
    public void Dispose()
    {
        lock (_lock)
        {
            _challenges.Dispose();
        }
    }

    /// <summary>
    /// The payload bytes each sender sent to each receiver since the last call (bindings gone since included), and
    /// forgets them: the heartbeat reports them to the Api for the billing page's relay usage. A report that could not
    /// be delivered goes back with <see cref="ReturnUsage"/>.
    /// </summary>
    public List<RelayUsageReport> TakeUsage()
    {
        lock (_lock)
        {
            var totals = new Dictionary<(NodeKeyValue From, NodeKeyValue To), long>(_usageOfGone);
            _usageOfGone.Clear();
            foreach (var binding in _byPair.Values.Where(b => b.Unreported > 0))
            {
                AddUsage(totals, (binding.From, binding.To), binding.Unreported);
                binding.Unreported = 0;
            }

            Span<byte> key = stackalloc byte[32];
            var reports = new List<RelayUsageReport>(totals.Count);
            foreach (var ((from, to), bytes) in totals)
            {
                from.WriteTo(key);
                var fromText = Convert.ToBase64String(key);
                to.WriteTo(key);
                reports.Add(new RelayUsageReport(fromText, Convert.ToBase64String(key), bytes));
            }

            return reports;
        }
    }

    /// <summary>Puts back a usage report the Api did not take (it is added to the next one).</summary>
    public void ReturnUsage(IEnumerable<RelayUsageReport> reports)
    {
        lock (_lock)
        {
            foreach (var r in reports)
            {
                AddUsage(_usageOfGone, (NodeKeyValue.From(Convert.FromBase64String(r.From)), NodeKeyValue.From(Convert.FromBase64String(r.To))), r.Bytes);
            }
        }
    }

    private static void AddUsage(Dictionary<(NodeKeyValue From, NodeKeyValue To), long> totals, (NodeKeyValue From, NodeKeyValue To) pair, long bytes) =>
        totals[pair] = totals.GetValueOrDefault(pair) + bytes;

    /// <summary>A consistent snapshot of the counters.</summary>
    public RelayCounters Snapshot()
    {
        lock (_lock)
        {
            var dropped = RelayCounters.Reasons.ToDictionary(RelayCounters.Name, r => _dropped[(int)r]);
            return new RelayCounters(_byPair.Count, _bindsAccepted, _bindsFromCache, _forwarded, _forwardedBytes, _stunAnswered, dropped, _challengesSent, _bindsProven);
        }
    }

    private RelayAction Bind(RelaySource from, ReadOnlySpan<byte> tokenBytes, DateTimeOffset now, Span<byte> output)
    {
        if (!TryAcceptToken(tokenBytes, now, output, out var token, out var refusal))
        {
            return refusal;
        }

        if (RefuseBannedKeys(token, now, output, out refusal))
        {
            return refusal;
        }

        var to = token.To.Bytes;
        var pair = (NodeKeyValue.From(token.From.Bytes), NodeKeyValue.From(to));
        if (_byPair.TryGetValue(pair, out var binding) && binding.Source == from)
        {
            // A keepalive (or a fresher token) from the source that proved the node key: refreshed as is.
            Refresh(binding, token, tokenBytes);
            return BindOk(from, token, output);
        }

        // No binding, or one held by another source: the token is a bearer credential seen in clear, so only a
        // proof of the node key from this very source may make or move the binding.
        Span<byte> cookie = stackalloc byte[RelayBindProof.CookieSize];
        _challenges.WriteCookie(from, token.From.Bytes, to, now, cookie);
        RelayFrame.TryWriteChallenge(output, to, _challenges.PublicKey, cookie, out var written);
        _challengesSent++;
        return new RelayAction(RelayActionKind.Reply, from, written, RelayDropReason.None);
    }

    private RelayAction BindProof(RelaySource from, RelayFrame frame, DateTimeOffset now, Span<byte> output)
    {
        if (!TryAcceptToken(frame.Token, now, output, out var token, out var refusal))
        {
            return refusal;
        }

        if (RefuseBannedKeys(token, now, output, out refusal))
        {
            return refusal;
        }

        var to = token.To.Bytes;
        switch (_challenges.CheckCookie(from, token.From.Bytes, to, frame.Cookie, now, out var issuedAt))
        {
            case CookieStatus.Bad:
                return Refuse(RelayDropReason.BadCookie, RelayRefusal.BadProof, to, output);
            case CookieStatus.Expired:
                return Refuse(RelayDropReason.ExpiredCookie, RelayRefusal.BadProof, to, output);
        }

        var pair = (NodeKeyValue.From(token.From.Bytes), NodeKeyValue.From(to));
        _byPair.TryGetValue(pair, out var binding);
        if (binding is not null && binding.Source != from && issuedAt < binding.ProvenAt)
        {
            // Older than the proof that put the binding where it is: a replay of an earlier move, or a late answer.
            return Refuse(RelayDropReason.ExpiredCookie, RelayRefusal.BadProof, to, output);
        }

        if (!_challenges.CheckProof(token.From.Bytes, frame.Cookie, frame.Token, frame.Proof))
        {
            return Refuse(RelayDropReason.BadProof, RelayRefusal.BadProof, to, output);
        }

        if (binding is null)
        {
            if (_byPair.Count >= _maxBindings)
            {
                return Refuse(RelayDropReason.TableFull, RelayRefusal.NoBinding, to, output);
            }

            binding = new Binding(pair.Item1, pair.Item2, from, token.ExpiresAt, new TokenBucket(token.BandwidthBitsPerSecond, now));
            _byPair[pair] = binding;
            _bySource[(from, pair.Item2)] = binding;
        }
        else if (binding.Source != from)
        {
            _bySource.Remove((binding.Source, pair.Item2));
            binding.Source = from;
            _bySource[(from, pair.Item2)] = binding;
        }

        binding.ProvenAt = Math.Max(binding.ProvenAt, issuedAt);
        Refresh(binding, token, frame.Token);
        _bindsProven++;
        return BindOk(from, token, output);
    }

    /// <summary>
    /// Verifies a Bind's or BindProof's token (signature, or the bytes its binding was last made with under the same
    /// issuer key), its relay id and expiry; on failure <paramref name="refusal"/> is the Refused reply.
    /// </summary>
    private bool TryAcceptToken(ReadOnlySpan<byte> tokenBytes, DateTimeOffset now, Span<byte> output, [NotNullWhen(true)] out RelayToken? token, out RelayAction refusal)
    {
        token = null;
        refusal = default;
        if (_issuer is null)
        {
            refusal = Refuse(RelayDropReason.NoServerKey, RelayRefusal.BadSignature, default, output);
            return false;
        }

        // A keepalive repeats the exact token its binding was made with: identical bytes that verified under the
        // same issuer key need no second Ed25519 check (agents re-bind every few seconds per peer).
        if (tokenBytes.Length == RelayToken.Size
            && _byPair.TryGetValue((NodeKeyValue.From(tokenBytes.Slice(RelayToken.FromOffset, 32)), NodeKeyValue.From(tokenBytes.Slice(RelayToken.ToOffset, 32))), out var known)
            && ReferenceEquals(known.VerifiedWith, _issuer) && tokenBytes.SequenceEqual(known.VerifiedToken))
        {
            token = known.Token!;
            _bindsFromCache++;
        }
        else
        {
            switch (RelayToken.TryVerify(tokenBytes, _issuer, out token))
            {
                case RelayTokenStatus.Malformed:
                    refusal = Refuse(RelayDropReason.Malformed, RelayRefusal.Malformed, default, output);
                    return false;
                case RelayTokenStatus.BadSignature:
                    refusal = Refuse(RelayDropReason.BadSignature, RelayRefusal.BadSignature, default, output);
                    return false;
            }
        }

        if (token!.RelayId != _relayId)
        {
            refusal = Refuse(RelayDropReason.WrongRelay, RelayRefusal.WrongRelay, token.To.Bytes, output);
            return false;
        }

        if (token.ExpiresAt <= now)
        {
            refusal = Refuse(RelayDropReason.Expired, RelayRefusal.Expired, token.To.Bytes, output);
            return false;
        }

        return true;
    }

    private void Refresh(Binding binding, RelayToken token, ReadOnlySpan<byte> tokenBytes)
    {
        binding.ExpiresAt = token.ExpiresAt;
        binding.Bucket.SetRate(token.BandwidthBitsPerSecond);
        binding.Verified(token, tokenBytes, _issuer!);
    }

    private RelayAction BindOk(RelaySource from, RelayToken token, Span<byte> output)
    {
        _bindsAccepted++;
        RelayFrame.TryWriteBindOk(output, token.To.Bytes, token.ExpiresAt.ToUnixTimeSeconds(), out var written);
        return new RelayAction(RelayActionKind.Reply, from, written, RelayDropReason.None);
    }

    private RelayAction Send(RelaySource from, RelayFrame frame, DateTimeOffset now, Span<byte> output)
    {
        var target = NodeKeyValue.From(frame.Key);
        if (!_bySource.TryGetValue((from, target), out var mine) || mine.ExpiresAt <= now)
        {
            return Refuse(RelayDropReason.NoBinding, RelayRefusal.NoBinding, frame.Key, output);
        }

        if (!_byPair.TryGetValue((target, mine.From), out var theirs) || theirs.ExpiresAt <= now)
        {
            return Refuse(RelayDropReason.TargetNotBound, RelayRefusal.NoBinding, frame.Key, output);
        }

        var length = RelayFrame.DataOverhead + frame.Payload.Length;
        if (!mine.Bucket.TryTake(length, now))
        {
            _dropped[(int)RelayDropReason.RateLimited]++;
            return RelayAction.Dropped(RelayDropReason.RateLimited);
        }

        Span<byte> fromKey = stackalloc byte[RelayFrame.KeySize];
        mine.From.WriteTo(fromKey);
        RelayFrame.TryWriteRecv(output, fromKey, frame.Payload, out var written);
        _forwarded++;
        _forwardedBytes += frame.Payload.Length;
        mine.Unreported += frame.Payload.Length;
        return new RelayAction(RelayActionKind.Forward, theirs.Source, written, RelayDropReason.None);
    }

    private RelayAction Refuse(RelayDropReason reason, RelayRefusal refusal, ReadOnlySpan<byte> to, Span<byte> output)
    {
        _dropped[(int)reason]++;
        return RelayFrame.TryWriteRefused(output, refusal, to, out var written)
            ? new RelayAction(RelayActionKind.Reply, default, written, reason)
            : RelayAction.Dropped(reason);
    }

    /// <summary>A token from or to a banned node key is refused (Banned) and counted.</summary>
    private bool RefuseBannedKeys(RelayToken token, DateTimeOffset now, Span<byte> output, out RelayAction refusal)
    {
        refusal = default;
        if (_bannedKeys.Count == 0)
        {
            return false;
        }

        var rule = BannedKey(NodeKeyValue.From(token.From.Bytes), now) ?? BannedKey(NodeKeyValue.From(token.To.Bytes), now);
        if (rule is null)
        {
            return false;
        }

        CountBan(rule);
        refusal = Refuse(RelayDropReason.Banned, RelayRefusal.Banned, token.To.Bytes, output);
        return true;
    }

    private BanRule? BannedBy(RelaySource source, DateTimeOffset now)
    {
        if (_bans.Count == 0)
        {
            return null;
        }

        var (high, low) = source.Address128;
        _banCheckTime = now;
        return _bans.TryFind(Address128.From(high, low), _actsNow, out var rule) ? rule : null;
    }

    private BanRule? BannedKey(NodeKeyValue key, DateTimeOffset now) =>
        _bannedKeys.TryGetValue(key, out var rule) && (rule.ExpiresAt is null || rule.ExpiresAt > now) ? rule : null;

    private void CountBan(BanRule rule)
    {
        if (rule.Id != Guid.Empty)
        {
            _banHits[rule.Id] = _banHits.GetValueOrDefault(rule.Id) + 1;
        }
    }

    private void Sweep(DateTimeOffset now)
    {
        _handshakes?.Sweep(now);
        foreach (var binding in _byPair.Values.Where(b => b.ExpiresAt <= now).ToList())
        {
            Remove(binding);
        }
    }

    private void Remove(Binding binding)
    {
        if (binding.Unreported > 0)
        {
            AddUsage(_usageOfGone, (binding.From, binding.To), binding.Unreported);
            binding.Unreported = 0;
        }

        _byPair.Remove((binding.From, binding.To));
        if (_bySource.TryGetValue((binding.Source, binding.To), out var indexed) && ReferenceEquals(indexed, binding))
        {
            _bySource.Remove((binding.Source, binding.To));
        }
    }

    /// <summary>One ban as the core holds it: its id (for hit counts) and expiry.</summary>
    private sealed record BanRule(Guid Id, DateTimeOffset? ExpiresAt);

    private sealed class Binding(NodeKeyValue from, NodeKeyValue to, RelaySource source, DateTimeOffset expiresAt, TokenBucket bucket)
    {
        public NodeKeyValue From { get; } = from;

        public NodeKeyValue To { get; } = to;

        public RelaySource Source { get; set; } = source;

        public DateTimeOffset ExpiresAt { get; set; } = expiresAt;

        public TokenBucket Bucket { get; } = bucket;

        /// <summary>Payload bytes forwarded from this sender since the last <see cref="TakeUsage"/>.</summary>
        public long Unreported { get; set; }

        /// <summary>Issue time (unix ms) of the newest cookie whose proof made or moved this binding; older proofs cannot move it back.</summary>
        public long ProvenAt { get; set; }

        /// <summary>The token this binding was last made or refreshed with, its bytes and the key that verified them.</summary>
        public RelayToken? Token { get; private set; }

        public byte[] VerifiedToken { get; private set; } = [];

        public SigningPublicKey? VerifiedWith { get; private set; }

        public void Verified(RelayToken token, ReadOnlySpan<byte> bytes, SigningPublicKey issuer)
        {
            Token = token;
            if (!bytes.SequenceEqual(VerifiedToken))
            {
                VerifiedToken = bytes.ToArray();
            }

            VerifiedWith = issuer;
        }
    }
}
