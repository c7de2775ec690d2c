using HamachiCloud.Agent.Control;
using HamachiCloud.Agent.Engine.Config;
using HamachiCloud.Agent.Engine.Control;
using HamachiCloud.Agent.Engine.Device;
using HamachiCloud.Agent.Engine.IO;
using HamachiCloud.Agent.Ipc;
using HamachiCloud.Agent.State;
using HamachiCloud.Protocol.Control;
using HamachiCloud.Protocol.Crypto;
using HamachiCloud.Protocol.Networks;

namespace HamachiCloud.Agent.Daemon;

/// <summary>
/// The daemon's state between the control channel and the data plane: verifies what the server
/// pushes against the pinned key, keeps the current map and its signed cache, performs the
/// reconciler's plan on the <see cref="WireGuardDevice"/>, tracks peers to verify, and answers
/// the CLI. With an <see cref="IHostRouting"/> it also keeps the host's gateway routes in step with the
/// map (<see cref="GatewayRoutes"/>): routes to approved LAN prefixes, conflicts reported instead of
/// installed, forwarding + masquerade on a gateway. Before the tunnels or the routes see a map, the agent's own
/// <see cref="RouteAcceptance"/> drops public prefixes this device did not accept (its local choice,
/// <c>routes.json</c>) and any prefix covering its underlay path (server, relays, default gateway, peers' endpoints
/// in use), logging each once. Thread-safe: server events, IPC requests and the liveness timer take one lock.
/// </summary>
public sealed class DaemonHost : IControlEvents, IDaemonBackend, IDisposable
{
    private const int MaxCachedDeltas = 64;

    private readonly Lock _lock = new();
    private readonly StateDirectory _state;
    private readonly Enrolment _enrolment;
    private readonly SigningPublicKey _pinned;
    private readonly WireGuardDevice _device;
    private readonly TimeProvider _time;
    private readonly TextWriter _log;
    private readonly Dictionary<NodeKey, PeerConfig> _applied = [];
    private readonly PeerLiveness _liveness = new();
    private readonly HandshakeNudge _nudge;
    private readonly ITimer _livenessTimer;
    private readonly ITimer _nudgeTimer;
    private readonly IHostRouting? _routing;
    private readonly Dictionary<System.Net.IPNetwork, string> _routes = [];
    private IReadOnlyList<RouteConflict> _routeConflicts = [];
    private IReadOnlyList<System.Net.IPNetwork> _served = [];
    private readonly Func<IReadOnlyList<UnderlayAddress>> _hostUnderlay;
    private readonly HashSet<string> _refusalsLogged = [];
    private IReadOnlyList<RouteConflict> _refused = [];
    private bool _acceptPublic;
    private NetworkMap? _map;
    private CachedMap? _cache;
    private string _mapSource = "none";

    /// <param name="routing">The host's routing for gateway networks; null: no routes are touched (tests, `hamachi up`).</param>
    /// <param name="hostUnderlay">
    /// The server's addresses and the default gateways (asked at every map); the relays come from the map and the peers'
    /// endpoints in use from the device. Null: none.
    /// </param>
    public DaemonHost(
        StateDirectory state, Enrolment enrolment, WireGuardDevice device, TimeProvider time, TextWriter log, IHostRouting? routing = null,
        Func<IReadOnlyList<UnderlayAddress>>? hostUnderlay = null)
    {
        _routing = routing;
        _hostUnderlay = hostUnderlay ?? (() => []);
        ArgumentNullException.ThrowIfNull(enrolment);
        _state = state;
        _enrolment = enrolment;
        _pinned = SigningPublicKey.TryParse(enrolment.ServerIdentityKey, out var pinned) && pinned is not null
            ? pinned
            : throw new InvalidDataException($"{state.File(StateDirectory.EnrolmentFile)}: serverIdentityKey is not an Ed25519 public key");
        _device = device;
        _time = time;
        _acceptPublic = state.LoadRoutePreferences().AcceptPublicRoutes;
        _log = log;
        _nudge = new HandshakeNudge(device.PublicKey);
        _livenessTimer = time.CreateTimer(_ => CheckLiveness(), null, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(5));
        _nudgeTimer = time.CreateTimer(_ => Nudge(), null, TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(100));
    }

    /// <summary>The control loop, once started (commands go through its connection).</summary>
    public ControlLoop? Control { get; set; }

    public SigningPublicKey PinnedKey => _pinned;

    /// <summary>NAT traversal (relay first, then direct), when the daemon runs one; set before the first map is applied.</summary>
    public DaemonTraversal? Traversal { get; set; }

    /// <summary>The NAT discovery, once started (<c>netcheck</c> runs it).</summary>
    public DiscoveryLoop? Discovery { get; set; }

    /// <summary>The relays of the current map (empty without a map or relays).</summary>
    public IReadOnlyList<RelayInfo> Relays()
    {
        lock (_lock)
        {
            return _map?.Relays ?? [];
        }
    }

    /// <summary>Restores tunnels from the signed cache (server unreachable at start). Returns a message to print.</summary>
    public string RestoreFromCache()
    {
        var cache = _state.LoadMapCache();
        if (cache is null)
        {
            return "no cached network map yet";
        }

        var map = MapRestore.Restore(cache.Map, cache.Deltas ?? [], _pinned, _enrolment.DeviceId, _time.GetUtcNow(), out var error);
        if (map is null)
        {
            return error!;
        }

        lock (_lock)
        {
            if (_map is not null)
            {
                return "the server's map arrived first; cache not needed";
            }

            _map = map;
            _cache = cache;
            _mapSource = "cache";
            Apply();
        }

        return $"restored {map.Peers.Count(p => p.Online)} tunnel(s) from the cached network map v{map.Version} (issued {map.IssuedAt:u})";
    }

    public void NetworkMap(SignedMessage map)
    {
        var parsed = SignedPayloads.Open<NetworkMap>(map, _pinned, out var error);
        if (parsed is null || parsed.DeviceId != _enrolment.DeviceId)
        {
            _log.WriteLine($"hamachi: network map ignored: {error ?? $"it is for device {parsed!.DeviceId}"}");
            return;
        }

        lock (_lock)
        {
            _map = parsed;
            _cache = new CachedMap(map, []);
            _mapSource = "server";
            foreach (var peer in parsed.Peers)
            {
                ClearLiveness(peer);
            }

            Apply();
            Save();
        }
    }

    public void NetworkMapDelta(SignedMessage delta)
    {
        var parsed = SignedPayloads.Open<NetworkMapDelta>(delta, _pinned, out var error);
        if (parsed is null)
        {
            _log.WriteLine($"hamachi: network map delta ignored: {error}");
            return;
        }

        lock (_lock)
        {
            var next = _map is null ? null : MapDeltas.Apply(_map, parsed);
            if (next is null || _cache is null || _cache.Deltas.Count >= MaxCachedDeltas)
            {
                _ = RequestFullMapAsync(_map is null ? "no map yet" : $"delta {parsed.FromVersion}→{parsed.ToVersion} does not apply to v{_map.Version}");
                return;
            }

            _map = next;
            _cache = _cache with { Deltas = [.. _cache.Deltas, delta] };
            foreach (var peer in parsed.UpsertedPeers ?? [])
            {
                ClearLiveness(peer);
            }

            Apply();
            Save();
        }
    }

    public void VerifyPeers(VerifyPeersRequest request)
    {
        lock (_lock)
        {
            var keys = (_map?.Peers ?? []).Where(p => request.DeviceIds.Contains(p.DeviceId)).Select(Key).OfType<NodeKey>();
            _liveness.Verify(keys, _time.GetUtcNow());
        }
    }

    public void RelayTokensChanged() => Traversal?.RefreshRelayTokens();

    public void Goodbye(string errorCode, string reason) => _log.WriteLine($"hamachi: the server ended the session: {reason} ({errorCode})");

    public DaemonStatus Status()
    {
        lock (_lock)
        {
            return new DaemonStatus(_enrolment.DeviceId, _enrolment.Name, _enrolment.ServerUrl, Control?.Current is not null, Control?.LastError,
                _enrolment.VirtualIPv4, _enrolment.VirtualIPv6, _device.PublicKey.ToBase64(), _device.ListenPort, _map?.Version, _mapSource, _applied.Count,
                [.. _routes.OrderBy(r => r.Key.ToString(), StringComparer.Ordinal).Select(r => $"{r.Key} via {r.Value}")],
                [.. _routeConflicts.Select(c => c.Message)],
                [.. _served.Select(p => p.ToString())],
                _acceptPublic, _map?.AcceptPublicRoutes ?? false, _refusalsLogged.Count);
        }
    }

    public IReadOnlyList<NetworkListing> List()
    {
        lock (_lock)
        {
            var now = _time.GetUtcNow();
            var stats = _device.GetPeerStatistics().ToDictionary(s => s.PublicKey);
            var peers = (_map?.Peers ?? []).ToDictionary(p => p.DeviceId);
            return [.. (_map?.Networks ?? []).Select(n => new NetworkListing(n.NetworkId, n.Name, n.Type.ToString(), n.Online,
                [.. n.Members.Select(m => Member(m, peers.GetValueOrDefault(m.DeviceId), stats, now))], Routes(n), n.OpenToAnyone,
                PublicRoutes(n), n.OverPlanLimit))];
        }
    }

    public async Task<NetcheckResult> NetcheckAsync(CancellationToken ct)
    {
        var nat = Discovery is null ? null : await Discovery.RunNowAsync(ct);
        return new NetcheckResult(LocalEndpoints.Gather(_device.ListenPort), _device.ListenPort, nat);
    }

    public Task<CommandResult> CreateNetworkAsync(string name, NetworkType type, string? password, CancellationToken ct) =>
        Connection().CreateNetworkAsync(name, type, password, ct);

    public Task<CommandResult> JoinNetworkAsync(string networkId, string? password, CancellationToken ct) =>
        Connection().JoinNetworkAsync(networkId, password, ct);

    public Task<CommandResult> LeaveNetworkAsync(string networkId, CancellationToken ct) => Connection().LeaveNetworkAsync(networkId, ct);

    public Task<CommandResult> SetOnlineAsync(string networkId, bool online, CancellationToken ct) => Connection().SetOnlineAsync(networkId, online, ct);

    public Task<CommandResult> SetNicknameAsync(string nickname, CancellationToken ct) => Connection().SetNicknameAsync(nickname, ct);

    public Task<CommandResult> AdvertiseRoutesAsync(string networkId, IReadOnlyList<string> prefixes, CancellationToken ct) =>
        Connection().AdvertiseRoutesAsync(networkId, prefixes, ct);

    /// <summary>
    /// Turning acceptance on asks the server first (its map then carries public routes) and takes effect locally only
    /// if it agrees; turning it off takes effect locally at once (the routes go now), then tells the server.
    /// </summary>
    public async Task<CommandResult> SetAcceptRoutesAsync(bool accept, CancellationToken ct)
    {
        if (!accept)
        {
            SetLocalAcceptance(false);
        }

        CommandResult result;
        try
        {
            result = await Connection().SetAcceptRoutesAsync(accept, ct);
        }
        catch (Exception e) when (e is InvalidOperationException or IOException or Microsoft.AspNetCore.SignalR.HubException)
        {
            result = new CommandResult(false, "not_connected", e.Message);
        }

        if (result.Ok && accept)
        {
            SetLocalAcceptance(true);
        }

        return result.Ok || accept
            ? result
            : result with { Error = $"public routes are no longer accepted on this device (removed now), but the server was not told: {result.Error}" };
    }

    public void Dispose()
    {
        _livenessTimer.Dispose();
        _nudgeTimer.Dispose();
    }

    private ControlConnection Connection() =>
        Control?.Current ?? throw new InvalidOperationException($"not connected to {_enrolment.ServerUrl}: {Control?.LastError ?? "connecting"}");

    private void SetLocalAcceptance(bool accept)
    {
        lock (_lock)
        {
            if (_acceptPublic == accept)
            {
                return;
            }

            _state.SaveRoutePreferences(new RoutePreferences(accept));
            _acceptPublic = accept;
            _log.WriteLine($"hamachi: public gateway routes {(accept ? "accepted" : "no longer accepted")} on this device");
            if (_map is not null)
            {
                Apply();
            }
        }
    }

    /// <summary>
    /// The map as this device takes it: <see cref="RouteAcceptance"/> drops public prefixes it did not accept and prefixes
    /// covering its underlay path; each refusal is logged once. Caller holds the lock.
    /// </summary>
    private NetworkMap Accepted()
    {
        var inUse = _device.GetPeerStatistics().Select(s => s.Endpoint).OfType<System.Net.IPEndPoint>()
            .Select(e => new UnderlayAddress(e.Address, "a peer's endpoint in use"));
        IReadOnlyList<UnderlayAddress> underlay = [.. _hostUnderlay(), .. RouteAcceptance.Relays(_map!), .. inUse];
        var accepted = RouteAcceptance.Filter(_map!, _acceptPublic, underlay, out var refused);
        foreach (var refusal in refused.Where(r => _refusalsLogged.Add(r.Message)))
        {
            _log.WriteLine($"hamachi: {refusal.Message}");
        }

        _refused = refused;
        return accepted;
    }

    /// <summary>Performs the reconciler's plan. Caller holds the lock.</summary>
    private void Apply()
    {
        var map = Accepted();
        var plan = PeerReconciler.Reconcile(_applied, map, _device.PublicKey, candidateEndpoints: Traversal is null);
        _log.WriteLine($"hamachi: {_time.GetUtcNow():HH:mm:ss.fff} map v{_map!.Version} ({_mapSource}): {_map.Peers.Count(p => p.Online)}/{_map.Peers.Count} peers online; tunnels +{plan.Upserts.Count} -{plan.Removals.Count}");
        foreach (var key in plan.Removals)
        {
            _device.RemovePeer(key);
            _applied.Remove(key);
            _nudge.Removed(key);
        }

        var now = _time.GetUtcNow();
        foreach (var config in plan.Upserts)
        {
            _device.AddPeer(config);
            _applied[config.PublicKey] = config;
            _nudge.Added(config.PublicKey, now);
            Traversal?.Reapply(config.PublicKey);
        }

        Traversal?.Apply(map.Peers.Where(p => p.Online).Select(p => (Key: Key(p), Peer: p))
            .Where(p => p.Key is not null && _applied.ContainsKey(p.Key)).Select(p => (p.Key!, p.Peer)));

        foreach (var skipped in plan.Skipped)
        {
            _log.WriteLine($"hamachi: {skipped}");
        }

        ApplyRoutes(map);
    }

    /// <summary>Brings the host's gateway routes and forwarding in step with the (accepted) map. Caller holds the lock.</summary>
    private void ApplyRoutes(NetworkMap map)
    {
        if (_routing is null)
        {
            _routeConflicts = _refused;
            return;
        }

        var plan = GatewayRoutes.Plan(map, _routing.LocalPrefixes());
        var conflicts = _refused.Concat(plan.Conflicts).ToList();
        foreach (var (prefix, via) in _routes.Where(r => !plan.Install.ContainsKey(r.Key)).ToList())
        {
            _routing.RemoveRoute(prefix);
            _routes.Remove(prefix);
            _log.WriteLine($"hamachi: route {prefix} via {via} removed");
        }

        foreach (var (prefix, via) in plan.Install)
        {
            if (_routes.ContainsKey(prefix))
            {
                _routes[prefix] = via;
                continue;
            }

            try
            {
                _routing.AddRoute(prefix);
                _routes[prefix] = via;
                _log.WriteLine($"hamachi: {_time.GetUtcNow():HH:mm:ss.fff} route {prefix} via {via} installed");
            }
            catch (IOException e)
            {
                conflicts.Add(new RouteConflict(prefix, via, $"{prefix} via {via}: route not installed: {e.Message}"));
            }
        }

        foreach (var conflict in conflicts.Where(c => !_refused.Contains(c) && !_routeConflicts.Any(old => old.Message == c.Message)))
        {
            _log.WriteLine($"hamachi: {conflict.Message}");
        }

        _routeConflicts = conflicts;
        if (!plan.Serve.SequenceEqual(_served))
        {
            try
            {
                _routing.Serve(plan.Serve);
                _served = plan.Serve;
                _log.WriteLine(plan.Serve.Count == 0
                    ? "hamachi: gateway: serving no LAN prefixes (forwarding rules removed)"
                    : $"hamachi: {_time.GetUtcNow():HH:mm:ss.fff} gateway: forwarding and masquerading for {string.Join(", ", plan.Serve)}");
            }
            catch (IOException e)
            {
                _log.WriteLine($"hamachi: gateway: cannot serve {string.Join(", ", plan.Serve)}: {e.Message}");
            }
        }
    }

    /// <summary>The routes of a gateway network as this device sees them (null for other network types).</summary>
    private List<RouteListing>? Routes(NetworkInfo network)
    {
        if (network.Routes is null)
        {
            return null;
        }

        var names = network.Members.GroupBy(m => m.DeviceId).ToDictionary(g => g.Key, g => g.First().DeviceName);
        return [.. network.Routes.Select(r =>
        {
            var gateway = r.GatewayDeviceId == _enrolment.DeviceId ? "this device" : names.GetValueOrDefault(r.GatewayDeviceId, r.GatewayDeviceId.ToString());
            var prefix = System.Net.IPNetwork.TryParse(r.Prefix, out var p) ? p : default;
            var status = r.Status switch
            {
                RouteStatus.Pending => "pending approval",
                RouteStatus.Rejected => "rejected",
                _ when r.GatewayDeviceId == _enrolment.DeviceId => _served.Contains(prefix) ? "serving" : "approved, not serving",
                _ when _routes.ContainsKey(prefix) => "routed",
                _ when _routeConflicts.FirstOrDefault(c => c.Prefix == prefix) is { } c => $"not routed: {c.Message}",
                _ when r.Public && !_acceptPublic => "not routed: public route, not accepted on this device (`hamachi set --accept-routes`)",
                _ when r.Public && _map?.AcceptPublicRoutes != true => "not routed: public route, accepted here but not on the server (`hamachi set --accept-routes` or the Portal)",
                _ => "not routed",
            };
            return new RouteListing(r.Prefix, gateway, status);
        })];
    }

    /// <summary>The line of <c>hamachi list</c> about the public routes a gateway network offers (null when it offers none).</summary>
    private string? PublicRoutes(NetworkInfo network)
    {
        var offered = (network.Routes ?? []).Where(r => r.Public && r.Status == RouteStatus.Approved && r.GatewayDeviceId != _enrolment.DeviceId)
            .Select(r => r.Prefix).Distinct().ToList();
        if (offered.Count == 0)
        {
            return null;
        }

        var list = string.Join(", ", offered);
        return (_acceptPublic, _map?.AcceptPublicRoutes == true) switch
        {
            (true, true) => $"public routes offered by the gateway: {list} — accepted on this device (`hamachi set --accept-routes=false` refuses them)",
            (true, false) => $"public routes offered by the gateway: {list} — accepted here, not on the server (`hamachi set --accept-routes` or the Portal)",
            _ => $"public routes offered by the gateway: {list} — not accepted on this device (`hamachi set --accept-routes` accepts them)",
        };
    }

    private void Save()
    {
        try
        {
            _state.SaveMapCache(_cache!);
        }
        catch (IOException e)
        {
            _log.WriteLine($"hamachi: cannot write the map cache {_state.File(StateDirectory.MapCacheFile)}: {e.Message}");
        }
    }

    private async Task RequestFullMapAsync(string why)
    {
        try
        {
            _log.WriteLine($"hamachi: {why}; asking for the full map");
            await Connection().RequestNetworkMapAsync(CancellationToken.None);
        }
        catch (Exception e)
        {
            _log.WriteLine($"hamachi: full map request failed: {e.Message}");
        }
    }

    private void CheckLiveness()
    {
        lock (_lock)
        {
            var (wentOffline, answered) = _liveness.Observe(_device.GetPeerStatistics(), _time.GetUtcNow());
            foreach (var key in wentOffline)
            {
                _log.WriteLine($"hamachi: peer {key} silent past {_liveness.Timeout.TotalSeconds:0} s: offline (locally; tunnel kept)");
            }

            foreach (var key in answered)
            {
                _log.WriteLine($"hamachi: peer {key} answered: online");
            }
        }
    }

    private void Nudge()
    {
        lock (_lock)
        {
            foreach (var key in _nudge.Due(_device.GetPeerStatistics(), _time.GetUtcNow()))
            {
                if (_applied.TryGetValue(key, out var config))
                {
                    _log.WriteLine($"hamachi: {_time.GetUtcNow():HH:mm:ss.fff} tunnel to {key} carried nothing yet: initiating again");
                    _device.AddPeer(config); // a fresh peer initiates at once
                    Traversal?.Reapply(key);
                }
            }
        }
    }

    private void ClearLiveness(PeerInfo peer)
    {
        if (Key(peer) is { } key)
        {
            _liveness.Clear(key);
        }
    }

    private static NodeKey? Key(PeerInfo peer) => NodeKey.TryParseBase64(peer.NodeKey, out var key) ? key : null;

    private MemberListing Member(MemberInfo member, PeerInfo? peer, Dictionary<NodeKey, Engine.Peers.PeerStatistics> stats, DateTimeOffset now)
    {
        if (member.DeviceId == _enrolment.DeviceId)
        {
            return new MemberListing(member.Nickname, member.DeviceName, member.IPv4, true, "online", "self", null, null);
        }

        var key = peer is null ? null : Key(peer);
        var stat = key is null ? null : stats.GetValueOrDefault(key);
        var status = key is not null && _liveness.IsOfflineLocally(key) ? "offline (local)"
            : key is not null && _liveness.IsVerifying(key) ? "verifying"
            : member.Online ? "online" : "offline";
        double? age = stat?.LastHandshake is { } at ? Math.Round((now - at).TotalSeconds, 1) : null;
        if (Traversal is { } traversal && key is not null && stat is not null)
        {
            var (path, endpoint, latency) = traversal.Describe(key);
            return new MemberListing(member.Nickname, member.DeviceName, member.IPv4, member.Online, status, path, endpoint, age, latency);
        }

        // Without traversal the tunnel goes to the map's endpoint: connected once a handshake completed, "-" before.
        var plain = stat?.LastHandshake is null ? "-" : "direct";
        return new MemberListing(member.Nickname, member.DeviceName, member.IPv4, member.Online, status, plain, stat?.Endpoint?.ToString(), age);
    }
}
