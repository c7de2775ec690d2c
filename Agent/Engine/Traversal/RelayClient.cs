using HamachiCloud.Agent.Engine.IO;
using HamachiCloud.Protocol.Crypto;
using HamachiCloud.Protocol.Relay;

namespace HamachiCloud.Agent.Engine.Traversal;

/// <summary>
/// Keeps every peer reachable through a relay: fetches relay tokens for the pair (the hub's
/// <c>GetRelayTokens</c>, through <c>fetchGrants</c>), binds on the relay's UDP port (Bind frame,
/// re-sent every <see cref="RebindInterval"/> as keepalive) and hands the peer's relay virtual endpoint
/// to <see cref="PathManager"/> on BindOk, so traffic starts through the relay at once.
/// <para>
/// Transport per relay ("happy eyeballs"): while nothing has shown that UDP works here (no NAT verdict,
/// no UDP BindOk from this relay), the relay's WebSocket is connected alongside the first UDP Bind and,
/// once connected, carries the same Binds. Whichever BindOk comes first decides: over the WebSocket, it
/// becomes the relay's channel at once (a quick switch); over UDP, UDP is proven for this relay, the race
/// ends for good and the WebSocket retires. The relay moves a binding to whichever transport sent the
/// latest Bind, so a Bind the retiring WebSocket already carried is answered, then followed by a UDP
/// re-bind; the WebSocket is closed only when no Bind on it is unanswered and every such re-bind got its
/// UDP BindOk (or after <see cref="RetireTimeout"/>). A UDP BindOk after a quick switch (UDP works after
/// all), like the NAT probe's "UDP works" verdict, moves the relay back to UDP the same way.
/// <see cref="QuickBindTimeout"/> stays as a backstop, <see cref="BindTimeout"/> applies once UDP is
/// proven, and a "UDP blocked" verdict switches at once. Tokens are fetched again before they expire and
/// after a refusal for expiry or signature. A Bind from an address (or WebSocket) that does not hold the relay's
/// binding gets a Challenge, answered at once with a BindProof over the same transport (RelayClient.Challenges.cs),
/// whose BindOk then counts like any other. Thread-safe (one lock; I/O outside it).
/// </para>
/// The WebSocket side (connect, quick switch, back to UDP, retiring) is in RelayClient.WebSockets.cs, token fetching in RelayClient.Tokens.cs.
/// </summary>
public sealed partial class RelayClient : IDisposable
{
    public static readonly TimeSpan BindTimeout = TimeSpan.FromSeconds(1);

    /// <summary>
    /// While UDP is unproven, a relay whose binds got no BindOk on either transport this soon moves to its
    /// WebSocket anyway (the backstop of the race; normally the WebSocket's own BindOk switches it sooner).
    /// </summary>
    public static readonly TimeSpan QuickBindTimeout = TimeSpan.FromMilliseconds(400);

    /// <summary>How long a retiring WebSocket waits for its unanswered Binds and the UDP re-binds before it is closed anyway.</summary>
    public static readonly TimeSpan RetireTimeout = TimeSpan.FromSeconds(2);

    public static readonly TimeSpan RebindInterval = TimeSpan.FromSeconds(5);

    /// <summary>
    /// A bound peer whose keepalive Binds got no BindOk for this long (two keepalives and some) lost its relay: the
    /// path through it is withdrawn and tokens are fetched again, preferring relays that have not failed lately.
    /// </summary>
    public static readonly TimeSpan RelayDeadAfter = TimeSpan.FromSeconds(12);

    /// <summary>How long a relay that stopped answering goes to the back of the choice.</summary>
    public static readonly TimeSpan FailedRelayMemory = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan TickInterval = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan UdpUnboundRebind = TimeSpan.FromMilliseconds(300);
    private static readonly TimeSpan WebSocketUnboundRebind = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan RefreshBefore = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan FetchRetryMax = TimeSpan.FromSeconds(30);

    private readonly SocketMux _mux;
    private readonly PathManager _paths;
    private readonly NodePrivateKey _nodeKey;
    private readonly TimeProvider _time;
    private readonly Func<NodeKey, CancellationToken, Task<IReadOnlyList<RelayGrant>>> _fetchGrants;
    private readonly Func<Uri, Action<ReadOnlyMemory<byte>>, Action, IRelayChannel>? _connectWebSocket;
    private readonly Action<string> _log;
    private readonly Lock _lock = new();
    private long _tokenEpoch;
    private readonly Dictionary<NodeKey, RelayPeerState> _peers = [];
    private readonly Dictionary<Key32, NodeKey> _byKey = [];
    private readonly Dictionary<int, RelayTransportState> _relays = [];
    private readonly Dictionary<NetEndpoint, DateTimeOffset> _failedRelays = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly ITimer _timer;

    /// <summary>When this says UDP is blocked (the NAT probe's verdict), relays are reached over their WebSocket at once.</summary>
    public Func<bool>? UdpBlocked { get; set; }

    /// <summary>When this says UDP works (the NAT probe got answers), the race stops, a quick switch to WebSocket goes back to UDP, and the patient <see cref="BindTimeout"/> applies.</summary>
    public Func<bool>? UdpWorks { get; set; }

    /// <param name="nodeKey">This device's node key: answers the relay's Bind challenges (the tokens name its public key). Owned by the caller.</param>
    /// <param name="connectWebSocket">Makes the WebSocket channel of a relay (URL, frame callback, connected callback); null disables the TCP fallback and the race.</param>
    public RelayClient(SocketMux mux, PathManager paths, NodePrivateKey nodeKey, TimeProvider time, Func<NodeKey, CancellationToken, Task<IReadOnlyList<RelayGrant>>> fetchGrants,
        Func<Uri, Action<ReadOnlyMemory<byte>>, Action, IRelayChannel>? connectWebSocket, Action<string>? log = null)
    {
        _mux = mux;
        _paths = paths;
        _nodeKey = nodeKey;
        _time = time;
        _fetchGrants = fetchGrants;
        _connectWebSocket = connectWebSocket;
        _log = log ?? (_ => { });
        _mux.RelayControl = OnUdpControl;
        _timer = time.CreateTimer(static state => ((RelayClient)state!).Tick(), this, TickInterval, TickInterval);
    }

    /// <summary>True when relay traffic goes over a WebSocket (some relay's UDP bind got no answer).</summary>
    public bool AnyWebSocket
    {
        get
        {
            lock (_lock)
            {
                return _relays.Values.Any(r => r.Link?.Role == RelayLinkRole.Active);
            }
        }
    }

    public void AddPeer(NodeKey peer)
    {
        lock (_lock)
        {
            if (!_peers.ContainsKey(peer))
            {
                _peers[peer] = new RelayPeerState();
                _byKey[Key32.From(peer.Bytes)] = peer;
            }
        }

        Tick();
    }

    /// <summary>
    /// Fetches every peer's relay tokens again now, though they have not expired (the server says the plan behind them
    /// changed, e.g. its relay bandwidth). The grant in use keeps working until the new one replaces it; the new token
    /// goes to the relay with the next Bind, which moves the binding's rate.
    /// </summary>
    public void RefreshTokens()
    {
        var now = _time.GetUtcNow();
        lock (_lock)
        {
            _tokenEpoch++;
            foreach (var state in _peers.Values)
            {
                state.Stale = true;
                state.NextFetch = now;
                state.FetchBackoff = TimeSpan.Zero;
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
        var closing = new List<IRelayChannel?>();
        lock (_lock)
        {
            foreach (var relay in _relays.Values)
            {
                closing.Add(relay.Link?.Channel);
                relay.Link = null;
            }
        }

        Close(closing);
        _stop.Dispose();
    }

    /// <summary>One step: fetches missing or expiring tokens, (re-)binds, races and switches transports, closes retired WebSockets.</summary>
    public void Tick()
    {
        var now = _time.GetUtcNow();
        var fetches = new List<NodeKey>();
        var udpBinds = new List<(byte[] Frame, NetEndpoint To)>();
        var webSocketBinds = new List<(byte[] Frame, IRelayChannel Channel)>();
        var closing = new List<IRelayChannel?>();
        var lost = new List<NodeKey>();
        lock (_lock)
        {
            var udpWorks = UdpWorks?.Invoke() == true;
            var udpBlocked = UdpBlocked?.Invoke() == true;
            foreach (var (index, relay) in _relays)
            {
                if (udpWorks && relay.Link is { Role: RelayLinkRole.Active } && relay.Quick)
                {
                    BackToUdp(index, relay, now, "the NAT probe finds UDP working");
                }
                else if (udpWorks && relay.Link is { Role: RelayLinkRole.Racing } racing)
                {
                    Retire(racing, now);
                }

                if (relay.Link is { Role: RelayLinkRole.Retiring } && RetireDone(index, relay, now))
                {
                    closing.Add(CloseLink(index, relay));
                }
            }

            foreach (var (peer, state) in _peers)
            {
                if (state.Bound && state.Grant is not null && now - state.LastBindOk > RelayDeadAfter && _relays.TryGetValue(state.RelayIndex, out var dead))
                {
                    _log($"{now:HH:mm:ss.fff} relay {dead.Udp}: no BindOk for {peer} for {(now - state.LastBindOk).TotalSeconds:0} s; dropping it and fetching tokens again");
                    _failedRelays[dead.Udp] = now;
                    state.Bound = false;
                    state.Grant = null;
                    state.Reclaim = false;
                    state.FirstBindAt = null;
                    state.NextFetch = now;
                    lost.Add(peer);
                }

                if (!state.Fetching && now >= state.NextFetch && (state.Grant is null || state.Stale || state.Grant.ExpiresAt - now < RefreshBefore))
                {
                    state.Fetching = true;
                    state.FetchEpoch = _tokenEpoch;
                    fetches.Add(peer);
                }

                if (state.Grant is null || !_relays.TryGetValue(state.RelayIndex, out var relay))
                {
                    continue;
                }

                var canWebSocket = relay.WebSocket is not null && _connectWebSocket is not null;
                if (!state.Bound && relay.Link?.Role != RelayLinkRole.Active && canWebSocket)
                {
                    var timeout = udpWorks || relay.UdpProven ? BindTimeout : QuickBindTimeout;
                    if ((state.FirstBindAt is { } first && now - first > timeout) || udpBlocked)
                    {
                        var quick = !udpBlocked && timeout == QuickBindTimeout;
                        SwitchToWebSocket(state.RelayIndex, relay, now, quick,
                            udpBlocked ? "the NAT probe finds UDP blocked" : $"no BindOk within {timeout.TotalMilliseconds:0} ms");
                    }
                }

                var active = relay.Link is { Role: RelayLinkRole.Active } link ? link : null;
                var interval = state.Bound && !state.Reclaim ? RebindInterval : active is null ? UdpUnboundRebind : WebSocketUnboundRebind;
                if (now - state.LastBind >= interval)
                {
                    state.LastBind = now;
                    state.FirstBindAt ??= now;
                    var frame = BindFrame(state.Grant);
                    if (active?.Channel is { } channel)
                    {
                        state.WebSocketBindsUnanswered++;
                        webSocketBinds.Add((frame, channel));
                    }
                    else if (active is null)
                    {
                        udpBinds.Add((frame, relay.Udp));
                    }
                }

                if (!state.Bound && active is null && canWebSocket && !udpWorks && !udpBlocked && !relay.UdpProven && state.FirstBindAt is not null)
                {
                    if (relay.Link is null)
                    {
                        // UDP unproven: race the WebSocket (its connect gives UDP a head start of a round trip or more).
                        relay.Link = Connect(state.RelayIndex, relay, RelayLinkRole.Racing);
                    }
                    else if (relay.Link is { Role: RelayLinkRole.Racing, Connected: true, Channel: { } racingChannel } && now - state.LastWebSocketBind >= UdpUnboundRebind)
                    {
                        state.LastWebSocketBind = now;
                        state.WebSocketBindsUnanswered++;
                        webSocketBinds.Add((BindFrame(state.Grant), racingChannel));
                    }
                }
            }
        }

        foreach (var (frame, to) in udpBinds)
        {
            _mux.SendRaw(frame, to);
        }

        foreach (var (frame, channel) in webSocketBinds)
        {
            channel.Enqueue(frame);
        }

        Close(closing);
        foreach (var peer in lost)
        {
            _paths.SetRelay(peer, null);
        }

        foreach (var peer in fetches)
        {
            _ = FetchAsync(peer);
        }
    }

    private static byte[] BindFrame(RelayGrant grant)
    {
        var frame = new byte[RelayFrame.BindSize];
        RelayFrame.TryWriteBind(frame, grant.Token, out _);
        return frame;
    }

    private static void Close(List<IRelayChannel?> channels)
    {
        foreach (var channel in channels)
        {
            (channel as IDisposable)?.Dispose();
        }
    }

    private IEnumerable<RelayPeerState> PeersOf(int relayIndex) => _peers.Values.Where(p => p.RelayIndex == relayIndex);

    private void OnUdpControl(int relayIndex, ReadOnlySpan<byte> datagram)
    {
        if (RelayFrame.TryParse(datagram, out var frame))
        {
            OnControl(relayIndex, frame, null);
        }
    }

    /// <summary>A BindOk, Challenge or Refused from relay <paramref name="relayIndex"/>, over UDP (<paramref name="via"/> null) or over one of its WebSockets.</summary>
    private void OnControl(int relayIndex, RelayFrame frame, RelayWebSocketLink? via)
    {
        NodeKey? peer;
        var now = _time.GetUtcNow();
        NetEndpoint? bound = null;
        var overWebSocket = false;
        var tick = false;
        IRelayChannel? closing = null;
        byte[]? proof = null;
        lock (_lock)
        {
            if (!_byKey.TryGetValue(Key32.From(frame.Key), out peer) || !_peers.TryGetValue(peer, out var state) || state.RelayIndex != relayIndex
                || !_relays.TryGetValue(relayIndex, out var relay) || (via is not null && relay.Link != via))
            {
                return;
            }

            if (via is not null && state.WebSocketBindsUnanswered > 0)
            {
                state.WebSocketBindsUnanswered--;
            }

            var role = relay.Link?.Role;
            if (frame.Type == RelayFrameType.Challenge)
            {
                proof = AnswerChallenge(peer, state, relay, frame, via, now);
            }
            else if (frame.Type == RelayFrameType.BindOk && via is null)
            {
                if (role == RelayLinkRole.Active)
                {
                    if (relay.Quick)
                    {
                        BackToUdp(relayIndex, relay, now, $"BindOk for {peer} over UDP after the quick switch (UDP works after all)");
                        tick = true;
                    }

                    // Else the switch came after BindTimeout or a "UDP blocked" verdict: a late UDP answer changes nothing.
                }
                else
                {
                    relay.UdpProven = true;
                    state.Reclaim = false;
                    state.LastBindOk = now;
                    if (role == RelayLinkRole.Racing)
                    {
                        Retire(relay.Link!, now); // UDP won the race for this relay, for good
                    }

                    if (!state.Bound)
                    {
                        state.Bound = true;
                        bound = _mux.VirtualFor(relayIndex, peer);
                        _log($"{now:HH:mm:ss.fff} relay UDP binding for {peer} ok ({(now - state.FirstBindAt)?.TotalMilliseconds:0} ms)");
                    }

                    if (relay.Link is { Role: RelayLinkRole.Retiring } && RetireDone(relayIndex, relay, now))
                    {
                        closing = CloseLink(relayIndex, relay);
                    }
                }
            }
            else if (frame.Type == RelayFrameType.BindOk)
            {
                switch (role)
                {
                    case RelayLinkRole.Racing:
                        SwitchToWebSocket(relayIndex, relay, now, quick: true,
                            $"BindOk for {peer} over the WebSocket first ({(now - state.FirstBindAt)?.TotalMilliseconds:0} ms after the first Bind, none over UDP)");
                        state.LastBind = now; // this Bind just succeeded over the WebSocket
                        goto case RelayLinkRole.Active;
                    case RelayLinkRole.Active:
                        state.LastBindOk = now;
                        if (!state.Bound)
                        {
                            state.Bound = true;
                            overWebSocket = true;
                            bound = _mux.VirtualFor(relayIndex, peer);
                            _log($"{now:HH:mm:ss.fff} relay WebSocket binding for {peer} ok ({(now - state.FirstBindAt)?.TotalMilliseconds:0} ms)");
                        }

                        break;
                    case RelayLinkRole.Retiring:
                        // This Bind reached the relay after the UDP one: the binding sits on the WebSocket now; a UDP Bind takes it back.
                        state.Reclaim = true;
                        state.LastBind = DateTimeOffset.MinValue;
                        tick = true;
                        _log($"{now:HH:mm:ss.fff} relay {relay.Udp}: the retiring WebSocket's Bind for {peer} came last; re-binding over UDP");
                        break;
                }
            }
            else if (frame.Type == RelayFrameType.Refused && frame.Reason == RelayRefusal.BadProof)
            {
                // A proof that came too late (cookie expired, or a newer proof moved the binding): the next Bind gets a fresh challenge.
                _log($"{now:HH:mm:ss.fff} relay {relay.Udp} refused the proof for {peer}{(via is null ? "" : " (WebSocket)")}; the next Bind asks again");
            }
            else if (frame.Type == RelayFrameType.Refused && frame.Reason != RelayRefusal.NoBinding
                && (via is null ? role != RelayLinkRole.Active : role != RelayLinkRole.Retiring))
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

        if (proof is not null)
        {
            SendProof(relayIndex, proof, via);
        }

        (closing as IDisposable)?.Dispose();
        if (bound is not null)
        {
            _paths.SetRelay(peer!, bound, overWebSocket);
        }

        if (tick)
        {
            Tick();
        }
    }
}
