using HamachiCloud.Agent.Engine.IO;
using HamachiCloud.Protocol.Crypto;
using HamachiCloud.Protocol.Relay;

namespace HamachiCloud.Agent.Engine.Traversal;

/// <summary>
/// Keeps every peer reachable through a relay: fetches relay tokens for the pair (the hub's
/// <c>GetRelayTokens</c>, through <c>fetchGrants</c>), binds on the relay's UDP port (Bind frame,
/// re-sent every <see cref="RebindInterval"/> as keepalive), and when no BindOk comes back within
/// <see cref="BindTimeout"/> moves that relay to its WebSocket (TCP fallback for UDP-blocked sites).
/// On BindOk the peer's relay virtual endpoint is handed to <see cref="PathManager"/>, so traffic
/// starts through the relay at once. Tokens are fetched again before they expire and after a
/// refusal for expiry or signature. Thread-safe (one lock; I/O outside it).
/// </summary>
public sealed class RelayClient : IDisposable
{
    public static readonly TimeSpan BindTimeout = TimeSpan.FromSeconds(1);

    /// <summary>
    /// While nothing has shown yet that UDP works here (no NAT verdict, no UDP BindOk), a relay
    /// whose UDP bind gets no answer this soon moves to its WebSocket, connected meanwhile in the
    /// background; it moves back to UDP once the NAT probe finds UDP working.
    /// </summary>
    public static readonly TimeSpan QuickBindTimeout = TimeSpan.FromMilliseconds(400);
    public static readonly TimeSpan RebindInterval = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan TickInterval = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan RefreshBefore = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan FetchRetryMax = TimeSpan.FromSeconds(30);

    private readonly SocketMux _mux;
    private readonly PathManager _paths;
    private readonly TimeProvider _time;
    private readonly Func<NodeKey, CancellationToken, Task<IReadOnlyList<RelayGrant>>> _fetchGrants;
    private readonly Func<Uri, Action<ReadOnlyMemory<byte>>, Action, IRelayChannel>? _connectWebSocket;
    private readonly Action<string> _log;
    private readonly Lock _lock = new();
    private readonly Dictionary<NodeKey, PeerState> _peers = [];
    private readonly Dictionary<Key32, NodeKey> _byKey = [];
    private readonly Dictionary<int, RelayState> _relays = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly ITimer _timer;

    /// <summary>When this says UDP is blocked (the NAT probe's verdict), relays are reached over their WebSocket at once instead of after <see cref="BindTimeout"/>.</summary>
    public Func<bool>? UdpBlocked { get; set; }

    /// <summary>When this says UDP works (the NAT probe got answers), a relay switched to WebSocket by <see cref="QuickBindTimeout"/> goes back to UDP, and the patient <see cref="BindTimeout"/> applies.</summary>
    public Func<bool>? UdpWorks { get; set; }

    /// <param name="connectWebSocket">Makes the WebSocket channel of a relay (URL, frame callback, connected callback); null disables the TCP fallback.</param>
    public RelayClient(SocketMux mux, PathManager paths, TimeProvider time, Func<NodeKey, CancellationToken, Task<IReadOnlyList<RelayGrant>>> fetchGrants,
        Func<Uri, Action<ReadOnlyMemory<byte>>, Action, IRelayChannel>? connectWebSocket, Action<string>? log = null)
    {
        _mux = mux;
        _paths = paths;
        _time = time;
        _fetchGrants = fetchGrants;
        _connectWebSocket = connectWebSocket;
        _log = log ?? (_ => { });
        _mux.RelayControl = OnRelayControl;
        _timer = time.CreateTimer(static state => ((RelayClient)state!).Tick(), this, TickInterval, TickInterval);
    }

    /// <summary>True when relay traffic goes over a WebSocket (some relay's UDP bind got no answer).</summary>
    public bool AnyWebSocket
    {
        get
        {
            lock (_lock)
            {
                return _relays.Values.Any(r => r.Channel is not null);
            }
        }
    }

    public void AddPeer(NodeKey peer)
    {
        lock (_lock)
        {
            if (!_peers.ContainsKey(peer))
            {
                _peers[peer] = new PeerState();
                _byKey[Key32.From(peer.Bytes)] = peer;
            }
        }

        Tick();
    }

    public void RemovePeer(NodeKey peer)
    {
        lock (_lock)
        {
            _peers.Remove(peer);
            _byKey.Remove(Key32.From(peer.Bytes));
        }
    }

    public void Dispose()
    {
        _timer.Dispose();
        _stop.Cancel();
        lock (_lock)
        {
            foreach (var relay in _relays.Values)
            {
                (relay.Channel as IDisposable)?.Dispose();
                (relay.Pending as IDisposable)?.Dispose();
            }
        }

        _stop.Dispose();
    }

    /// <summary>One step: fetches missing or expiring tokens, (re-)binds, switches relays whose UDP bind got no answer to WebSocket.</summary>
    public void Tick()
    {
        var now = _time.GetUtcNow();
        var fetches = new List<NodeKey>();
        var binds = new List<(byte[] Frame, RelayState Relay)>();
        lock (_lock)
        {
            var udpWorks = UdpWorks?.Invoke() == true;
            var udpBlocked = UdpBlocked?.Invoke() == true;
            foreach (var (index, relay) in _relays)
            {
                if (udpWorks && relay.Channel is not null && relay.Quick)
                {
                    BackToUdp(index, relay, now);
                }
                else if (udpWorks && relay.Pending is not null)
                {
                    (relay.Pending as IDisposable)?.Dispose();
                    relay.Pending = null;
                }
            }

            foreach (var (peer, state) in _peers)
            {
                if (!state.Fetching && now >= state.NextFetch && (state.Grant is null || state.Grant.ExpiresAt - now < RefreshBefore))
                {
                    state.Fetching = true;
                    fetches.Add(peer);
                }

                if (state.Grant is null || !_relays.TryGetValue(state.RelayIndex, out var relay))
                {
                    continue;
                }

                if (!state.Bound && relay.Channel is null && relay.WebSocket is not null && _connectWebSocket is not null)
                {
                    var timeout = udpWorks || relay.UdpProven ? BindTimeout : QuickBindTimeout;
                    if ((state.FirstBindAt is { } first && now - first > timeout) || udpBlocked)
                    {
                        SwitchToWebSocket(state.RelayIndex, relay, now, quick: !udpBlocked && timeout == QuickBindTimeout);
                    }
                    else if (!udpWorks && !relay.UdpProven && relay.Pending is null && state.FirstBindAt is not null)
                    {
                        // UDP unproven: have the WebSocket ready in case the UDP bind stays unanswered.
                        var index = state.RelayIndex;
                        relay.Pending = _connectWebSocket(relay.WebSocket, frame => _mux.Inject(index, frame.Span), () => Rebind(index));
                    }
                }

                var interval = state.Bound ? RebindInterval : TimeSpan.FromMilliseconds(relay.Channel is null ? 300 : 500);
                if (now - state.LastBind >= interval)
                {
                    state.LastBind = now;
                    state.FirstBindAt ??= now;
                    var frame = new byte[RelayFrame.BindSize];
                    RelayFrame.TryWriteBind(frame, state.Grant.Token, out _);
                    binds.Add((frame, relay));
                }
            }
        }

        foreach (var (frame, relay) in binds)
        {
            if (relay.Channel is { } channel)
            {
                channel.Enqueue(frame);
            }
            else
            {
                _mux.SendRaw(frame, relay.Udp);
            }
        }

        foreach (var peer in fetches)
        {
            _ = FetchAsync(peer);
        }
    }

    private void SwitchToWebSocket(int relayIndex, RelayState relay, DateTimeOffset now, bool quick)
    {
        _log($"{now:HH:mm:ss.fff} relay {relay.Udp}: no BindOk over UDP within {(quick ? QuickBindTimeout : BindTimeout).TotalMilliseconds:0} ms; using its WebSocket {relay.WebSocket}");
        relay.Channel = relay.Pending ?? _connectWebSocket!(relay.WebSocket!, frame => _mux.Inject(relayIndex, frame.Span), () => Rebind(relayIndex));
        relay.Pending = null;
        relay.Quick = quick;
        _mux.SetRelayChannel(relayIndex, relay.Channel);
        foreach (var state in _peers.Values)
        {
            if (state.RelayIndex == relayIndex)
            {
                state.LastBind = DateTimeOffset.MinValue;
            }
        }
    }

    /// <summary>The NAT probe found UDP working after a quick switch: back to the relay's UDP port (the new Bind moves the relay's binding).</summary>
    private void BackToUdp(int relayIndex, RelayState relay, DateTimeOffset now)
    {
        _log($"{now:HH:mm:ss.fff} relay {relay.Udp}: UDP works here after all; leaving its WebSocket");
        _mux.SetRelayChannel(relayIndex, null);
        (relay.Channel as IDisposable)?.Dispose();
        relay.Channel = null;
        relay.Quick = false;
        relay.UdpProven = true;
        foreach (var state in _peers.Values)
        {
            if (state.RelayIndex == relayIndex)
            {
                state.Bound = false; // the UDP BindOk reports the path again (relay, not relay over TCP)
                state.FirstBindAt = null;
                state.LastBind = DateTimeOffset.MinValue;
            }
        }
    }

    private void Rebind(int relayIndex)
    {
        lock (_lock)
        {
            foreach (var state in _peers.Values)
            {
                if (state.RelayIndex == relayIndex)
                {
                    state.LastBind = DateTimeOffset.MinValue;
                }
            }
        }

        Tick();
    }

    private async Task FetchAsync(NodeKey peer)
    {
        IReadOnlyList<RelayGrant>? grants = null;
        string? error = null;
        try
        {
            grants = await _fetchGrants(peer, _stop.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            error = e.Message;
        }

        var now = _time.GetUtcNow();
        lock (_lock)
        {
            if (!_peers.TryGetValue(peer, out var state))
            {
                return;
            }

            state.Fetching = false;
            var grant = grants?.FirstOrDefault(g => g.ExpiresAt > now);
            if (grant is null)
            {
                state.FetchBackoff = state.FetchBackoff == TimeSpan.Zero ? TimeSpan.FromSeconds(2) : TimeSpan.FromTicks(Math.Min(state.FetchBackoff.Ticks * 2, FetchRetryMax.Ticks));
                state.NextFetch = now + state.FetchBackoff;
                _log($"relay tokens for {peer}: {error ?? "none granted"}; retrying in {state.FetchBackoff.TotalSeconds:0} s");
                return;
            }

            state.FetchBackoff = TimeSpan.Zero;
            state.Grant = grant;
            state.RelayIndex = _mux.AddRelay(grant.Udp);
            if (!_relays.ContainsKey(state.RelayIndex))
            {
                _relays[state.RelayIndex] = new RelayState(grant.Udp, grant.WebSocket);
            }

            state.LastBind = DateTimeOffset.MinValue;
        }

        Tick();
    }

    private void OnRelayControl(int relayIndex, ReadOnlySpan<byte> datagram)
    {
        if (!RelayFrame.TryParse(datagram, out var frame))
        {
            return;
        }

        NodeKey? peer;
        var now = _time.GetUtcNow();
        NetEndpoint? bound = null;
        var overWebSocket = false;
        lock (_lock)
        {
            if (!_byKey.TryGetValue(Key32.From(frame.Key), out peer) || !_peers.TryGetValue(peer, out var state) || state.RelayIndex != relayIndex)
            {
                return;
            }

            if (frame.Type == RelayFrameType.BindOk)
            {
                if (!state.Bound)
                {
                    state.Bound = true;
                    overWebSocket = _relays.TryGetValue(relayIndex, out var relay) && relay.Channel is not null;
                    if (relay is not null && !overWebSocket)
                    {
                        relay.UdpProven = true;
                        (relay.Pending as IDisposable)?.Dispose();
                        relay.Pending = null;
                    }

                    bound = _mux.VirtualFor(relayIndex, peer);
                    _log($"{now:HH:mm:ss.fff} relay {(overWebSocket ? "WebSocket" : "UDP")} binding for {peer} ok ({(now - state.FirstBindAt)?.TotalMilliseconds:0} ms)");
                }
            }
            else if (frame.Type == RelayFrameType.Refused && frame.Reason != RelayRefusal.NoBinding)
            {
                _log($"{now:HH:mm:ss.fff} relay refused the binding for {peer}: {frame.Reason}");
                state.Bound = false;
                if (frame.Reason is RelayRefusal.Expired or RelayRefusal.BadSignature or RelayRefusal.WrongRelay)
                {
                    state.Grant = null;
                    state.NextFetch = now;
                }
            }
        }

        if (bound is not null)
        {
            _paths.SetRelay(peer!, bound, overWebSocket);
        }
    }

    private sealed class PeerState
    {
        public RelayGrant? Grant { get; set; }

        public int RelayIndex { get; set; } = -1;

        public bool Fetching { get; set; }

        public DateTimeOffset NextFetch { get; set; } = DateTimeOffset.MinValue;

        public TimeSpan FetchBackoff { get; set; }

        public DateTimeOffset LastBind { get; set; } = DateTimeOffset.MinValue;

        public DateTimeOffset? FirstBindAt { get; set; }

        public bool Bound { get; set; }
    }

    private sealed class RelayState(NetEndpoint udp, Uri? webSocket)
    {
        public NetEndpoint Udp { get; } = udp;

        public Uri? WebSocket { get; } = webSocket;

        public IRelayChannel? Channel { get; set; }

        /// <summary>A WebSocket connected in advance while UDP is unproven; becomes <see cref="Channel"/> on a switch, closed once UDP answers.</summary>
        public IRelayChannel? Pending { get; set; }

        /// <summary>The switch to <see cref="Channel"/> came from <see cref="QuickBindTimeout"/> (UDP unproven), so a later "UDP works" verdict undoes it.</summary>
        public bool Quick { get; set; }

        /// <summary>A BindOk came back over UDP: this relay is reachable over UDP from here.</summary>
        public bool UdpProven { get; set; }
    }
}
