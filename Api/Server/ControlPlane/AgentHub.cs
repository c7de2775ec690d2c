using System.Security.Cryptography;
using HamachiCloud.Api.Bans;
using HamachiCloud.Protocol.Control;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;

namespace HamachiCloud.Api.ControlPlane;

/// <summary>
/// The agents' control channel at <see cref="ControlProtocol.HubPath"/>. Each connection logs in
/// first: <see cref="Hello"/> (version, the server proves its identity by signing the agent's
/// nonce), then <see cref="Login"/> (the agent signs the server's nonce with its machine key).
/// Any other call before login, or a second hello/login, is refused and the connection aborted;
/// a refused hello/login is answered with its reason and the connection is closed a moment later.
/// After login: commands (same rules as REST), discovery reports, map requests and goodbye.
/// </summary>
internal sealed class AgentHub(
    HamachiDbContext db,
    ServerIdentity identity,
    BanList bans,
    MapChangeQueue changes,
    MapPublisher maps,
    AgentCommands commands,
    ApiNodeIdentity node,
    LiveSessions live,
    Relays.RelayTokens relayTokens,
    Paths.PathReports pathReports,
    IOptions<ControlPlaneOptions> options,
    HubCallBudget.Clock budgetClock,
    TimeProvider clock,
    ILogger<AgentHub> log) : Hub<IAgentClient>, IAgentHub
{
    private static readonly TimeSpan RefusalLinger = TimeSpan.FromSeconds(1);

    private AgentSession Session
    {
        get
        {
            if (Context.Items.TryGetValue(typeof(AgentSession), out var value) && value is AgentSession session)
            {
                return session;
            }

            var created = new AgentSession();
            Context.Items[typeof(AgentSession)] = created;
            return created;
        }
    }

    public Task<HelloResponse> Hello(HelloRequest request)
    {
        var session = Session;
        if (session.Stage != AgentStage.New || request?.AgentNonce is not { Length: ControlProtocol.NonceSize } || request.ProtocolVersions is null)
        {
            throw Abort(session, "hello out of order or malformed");
        }

        var version = request.ProtocolVersions.Where(v => ControlProtocol.SupportedVersions.Contains(v)).DefaultIfEmpty(0).Max();
        if (version == 0)
        {
            Refuse(session);
            return Task.FromResult(new HelloResponse(0, [], [],
                $"the server speaks protocol versions {string.Join(", ", ControlProtocol.SupportedVersions)}; update the agent",
                LoginErrors.UnsupportedVersion));
        }

        session.Stage = AgentStage.Hello;
        session.Version = version;
        session.DeviceId = request.DeviceId;
        session.AgentNonce = request.AgentNonce.ToArray();
        session.AgentVersion = Devices.DeviceText.Clean(request.AgentVersion, Device.MaxAgentVersionLength);
        session.Os = Devices.DeviceText.Clean(request.Os, Device.MaxOsLength);
        session.ServerNonce = RandomNumberGenerator.GetBytes(ControlProtocol.NonceSize);
        var proof = LoginTranscript.ServerProof(version, request.DeviceId, session.AgentNonce, session.ServerNonce);
        return Task.FromResult(new HelloResponse(version, session.ServerNonce, identity.Sign(proof)));
    }

    public async Task<LoginResponse> Login(LoginRequest request)
    {
        var session = Session;
        if (session.Stage != AgentStage.Hello)
        {
            throw Abort(session, "login out of order");
        }

        var ct = Context.ConnectionAborted;
        var remote = Context.GetHttpContext()?.Connection.RemoteIpAddress;
        var device = await db.Devices.FirstOrDefaultAsync(d => d.Id == session.DeviceId, ct);
        var now = clock.GetUtcNow();

        // Bans in the Control scope: a range ban nothing can spare refuses before the proof; device, account and
        // exempted range bans are judged once the machine key proved which device (and account) this is.
        var range = await bans.FindRangeAsync(remote, BanScope.Control, ct);
        (string Code, string Reason)? refusal = range is { HasExemptions: false }
            ? (LoginErrors.Banned, (await bans.FindAsync(remote, null, null, BanScope.Control, ct) ?? range).Describe(remote))
            : LoginDecision.Decide(null, device, session.Version, session.DeviceId, session.AgentNonce, session.ServerNonce, request?.MachineSignature, now);
        if (refusal is null && await bans.FindAsync(remote, device!.UserId, device.Id, BanScope.Control, ct) is { } ban)
        {
            refusal = (LoginErrors.Banned, ban.Describe(remote));
        }

        if (refusal is { } r)
        {
            log.LogWarning("control login refused for device {DeviceId} from {Remote}: {Code}", session.DeviceId, remote, r.Code);
            Refuse(session);
            return new LoginResponse(false, r.Code, r.Reason);
        }

        // Proven, but the account may be disabled by support: said only to the holder of the machine key.
        if (await db.Users.Where(u => u.Id == device!.UserId && u.DisabledAt != null).Select(u => u.DisabledReason).FirstOrDefaultAsync(ct) is { } disabled)
        {
            log.LogWarning("control login refused for device {DeviceId} from {Remote}: {Code}", session.DeviceId, remote, LoginErrors.AccountDisabled);
            Refuse(session);
            return new LoginResponse(false, LoginErrors.AccountDisabled, $"support disabled this account: {disabled}");
        }

        device!.ConnectionId = Context.ConnectionId;
        device.ConnectionNodeId = node.Id;
        device.LastSeenAt = now;
        device.AgentVersion = session.AgentVersion ?? device.AgentVersion;
        device.Os = session.Os ?? device.Os;
        await db.SaveChangesAsync(ct);
        session.Stage = AgentStage.LoggedIn;
        session.UserId = device.UserId;
        session.Budget = new HubCallBudget(budgetClock);
        live.Add(Context, remote, device.Id, device.UserId);

        await Groups.AddToGroupAsync(Context.ConnectionId, AgentGroups.Device(device.Id), ct);
        var map = await maps.FullMapAsync(device.Id, device.UserId, ct);
        foreach (var network in ControlJson.Deserialize<NetworkMap>(map.Payload).Networks)
        {
            await Groups.AddToGroupAsync(Context.ConnectionId, AgentGroups.Network(network.Id), ct);
        }

        await Clients.Caller.NetworkMap(map);
        changes.DeviceChanged(device.Id); // peers see it online at the next tick
        log.LogInformation("device {DeviceId} logged in from {Remote}", device.Id, remote);
        return new LoginResponse(true);
    }

    public async Task ReportDiscovery(DiscoveryReport report)
    {
        var session = RequireLogin();
        if (!Within(session, HubCallKind.Discovery))
        {
            return;
        }

        var connection = Context.GetHttpContext()?.Connection;
        var remote = connection?.RemoteIpAddress;
        var infrastructure = await InfrastructureAddressesAsync(connection?.LocalIpAddress);
        if (remote is not null)
        {
            infrastructure.Remove(DiscoveryEndpoints.Unmapped(remote)); // an agent on the server's or a relay's host may list that host
        }

        var endpoints = DiscoveryEndpoints.From(report, remote, infrastructure);
        var nat = NatReports.ToJson(NatReports.Sanitize(report?.Nat));
        var device = await db.Devices.FirstOrDefaultAsync(d => d.Id == session.DeviceId, Context.ConnectionAborted);
        if (device is null || (device.Endpoints == endpoints && device.NatReport == nat))
        {
            return;
        }

        var endpointsChanged = device.Endpoints != endpoints;
        var natChanged = nat is not null && nat != device.NatReport;
        device.Endpoints = endpoints;
        device.NatReport = nat ?? device.NatReport; // a report without NAT data keeps the last one
        await db.SaveChangesAsync(Context.ConnectionAborted);
        if (endpointsChanged || natChanged) // a new NAT type changes no map, but the Portal's member rows show it
        {
            changes.DeviceChanged(device.Id);
        }
    }

    /// <summary>
    /// The device's current map in full. Served from the stored map (what the ticks issued, the base
    /// of the deltas that follow), not rebuilt: only a device without one gets a fresh build.
    /// </summary>
    public async Task RequestNetworkMap()
    {
        var session = RequireLogin();
        if (!Within(session, HubCallKind.Map))
        {
            return;
        }

        var ct = Context.ConnectionAborted;
        var version = await db.DeviceMapStates.Where(s => s.DeviceId == session.DeviceId).Select(s => (long?)s.Version).FirstOrDefaultAsync(ct);
        if (version is null)
        {
            await Clients.Caller.NetworkMap(await maps.FullMapAsync(session.DeviceId, session.UserId, ct));
            return;
        }

        if (session.LastRequestedMap is not { } cached || cached.Version != version)
        {
            var stored = await db.DeviceMapStates.AsNoTracking().FirstAsync(s => s.DeviceId == session.DeviceId, ct);
            var payload = System.Text.Encoding.UTF8.GetBytes(stored.Payload);
            cached = (stored.Version, new SignedMessage(payload, identity.Sign(payload)));
            session.LastRequestedMap = cached;
        }

        await Clients.Caller.NetworkMap(cached.Message);
    }

    public Task<CommandResult> CreateNetwork(string name, NetworkType type, string? password) =>
        Command(session => commands.CreateNetworkAsync(session.UserId, name, type, password, Context.ConnectionAborted));

    public Task<CommandResult> JoinNetwork(string networkId, string? password) =>
        Command(session => commands.JoinNetworkAsync(session.UserId, networkId, password, Context.ConnectionAborted));

    public Task<CommandResult> LeaveNetwork(string networkId) =>
        Command(session => commands.LeaveNetworkAsync(session.UserId, networkId, Context.ConnectionAborted));

    public Task<CommandResult> SetOnline(string networkId, bool online) =>
        Command(session => commands.SetOnlineAsync(session.UserId, session.DeviceId, networkId, online, Context.ConnectionAborted));

    public Task<CommandResult> SetNickname(string nickname) =>
        Command(session => commands.SetNicknameAsync(session.UserId, nickname, Context.ConnectionAborted));

    public Task<CommandResult> AdvertiseRoutes(string networkId, string[] prefixes) =>
        Command(session => commands.AdvertiseRoutesAsync(session.UserId, session.DeviceId, networkId, prefixes, Context.ConnectionAborted));

    public Task<CommandResult> SetAcceptRoutes(bool accept) =>
        Command(session => commands.SetAcceptRoutesAsync(session.UserId, session.DeviceId, accept, Context.ConnectionAborted));

    public Task<RelayTokenGrant> GetRelayTokens(string peerNodeKey)
    {
        var session = RequireLogin();
        if (!Within(session, HubCallKind.RelayTokens))
        {
            throw new HubException($"{ErrorCodes.RateLimited}: too many relay token requests; try again in a few seconds");
        }

        return relayTokens.GrantAsync(session.DeviceId, session.UserId, peerNodeKey ?? "", Context.ConnectionAborted);
    }

    public Task ReportPaths(PathReport report)
    {
        var session = RequireLogin();
        return Within(session, HubCallKind.Paths) ? pathReports.SaveAsync(session.DeviceId, report, Context.ConnectionAborted) : Task.CompletedTask;
    }

    public async Task Goodbye()
    {
        var session = RequireLogin();
        session.Stage = AgentStage.Closed;
        await MarkOfflineAsync(session.DeviceId);
    }

    public override async Task OnDisconnectedAsync(Exception? exception)
    {
        var session = Session;
        session.AbortTimer?.Dispose();
        live.Remove(Context.ConnectionId);
        if (session.Stage == AgentStage.LoggedIn)
        {
            // No goodbye: peers verify the device themselves; it goes offline after the grace period unless it returns.
            changes.ConnectionLost(session.DeviceId, Context.ConnectionId, clock.GetUtcNow().AddSeconds(options.Value.OfflineGraceSeconds));
            log.LogInformation("device {DeviceId} lost without goodbye: {Error}", session.DeviceId, exception?.Message ?? "closed");
        }
        else if (exception is not null && session.Stage is AgentStage.New or AgentStage.Hello)
        {
            // Bad input SignalR refused before our methods ran (malformed or oversized frame, a call that does not bind).
            log.LogWarning("control connection {ConnectionId} from {Remote} closed before login (stage {Stage}): {Error}",
                Context.ConnectionId, Context.GetHttpContext()?.Connection.RemoteIpAddress, session.Stage, exception.Message);
        }

        session.Stage = AgentStage.Closed;
        await base.OnDisconnectedAsync(exception);
    }

    private async Task MarkOfflineAsync(Guid deviceId)
    {
        var connection = Context.ConnectionId;
        var updated = await db.Devices.Where(d => d.Id == deviceId && d.ConnectionId == connection)
            .ExecuteUpdateAsync(s => s.SetProperty(d => d.ConnectionId, (string?)null), CancellationToken.None);
        if (updated > 0)
        {
            changes.DeviceChanged(deviceId);
        }
    }

    /// <summary>This server's address on the connection and every relay's: no device may list them as its own.</summary>
    private async Task<HashSet<System.Net.IPAddress>> InfrastructureAddressesAsync(System.Net.IPAddress? local)
    {
        var set = new HashSet<System.Net.IPAddress>();
        if (local is not null)
        {
            set.Add(DiscoveryEndpoints.Unmapped(local));
        }

        set.UnionWith((await Relays.RelayDirectory.AddressesAsync(db, Context.ConnectionAborted)).Select(r => r.Address));

        return set;
    }

    private Task<CommandResult> Command(Func<AgentSession, Task<CommandResult>> run)
    {
        var session = RequireLogin();
        return Within(session, HubCallKind.Command)
            ? run(session)
            : Task.FromResult(new CommandResult(false, ErrorCodes.RateLimited, "too many commands from this device; wait a few seconds"));
    }

    /// <summary>Takes the call from the session's budget; over it, the call is not run and the first and every 100th refusal is logged.</summary>
    private bool Within(AgentSession session, HubCallKind kind)
    {
        var budget = session.Budget ??= new HubCallBudget(budgetClock);
        if (budget.TryTake(kind))
        {
            return true;
        }

        if (budget.Refused % 100 == 1)
        {
            log.LogWarning("device {DeviceId} on {ConnectionId}: {Kind} call over its budget, not run ({Refused} refused in this session)",
                session.DeviceId, Context.ConnectionId, kind, budget.Refused);
        }

        return false;
    }

    private AgentSession RequireLogin()
    {
        var session = Session;
        return session.Stage == AgentStage.LoggedIn ? session : throw Abort(session, "call before login");
    }

    private HubException Abort(AgentSession session, string why)
    {
        log.LogWarning("control connection {ConnectionId} aborted: {Why} (stage {Stage})", Context.ConnectionId, why, session.Stage);
        session.Stage = AgentStage.Refused;
        Context.Abort();
        return new HubException($"{LoginErrors.OutOfOrder}: {why}; the connection is closed");
    }

    /// <summary>The answer is delivered, then the connection closes.</summary>
    private void Refuse(AgentSession session)
    {
        session.Stage = AgentStage.Refused;
        var context = Context;
        session.AbortTimer = clock.CreateTimer(static c => ((HubCallerContext)c!).Abort(), context, RefusalLinger, Timeout.InfiniteTimeSpan);
    }
}
