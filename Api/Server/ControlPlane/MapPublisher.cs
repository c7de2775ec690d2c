using HamachiCloud.Api.Devices;
using HamachiCloud.Protocol.Control;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;

namespace HamachiCloud.Api.ControlPlane;

/// <summary>
/// Turns a batch of changes into messages: finds the affected connected devices (those sharing a
/// network with what changed), rebuilds each map once with <see cref="NetworkMapBuilder"/>,
/// stores it as the device's current map (version + 1) and sends a signed delta (a full map when
/// the device has none yet), then VerifyPeers and goodbyes. Sends through the hub context, so
/// sessions on other nodes get them over the backplane. Scoped (one DbContext per tick).
/// </summary>
internal sealed class MapPublisher(
    HamachiDbContext db,
    IHubContext<AgentHub, IAgentClient> hub,
    ServerIdentity identity,
    MapChangeQueue queue,
    IOptions<AddressPoolOptions> pool,
    IOptions<Relays.RelaysOptions> relays,
    TimeProvider clock,
    ILogger<MapPublisher> log)
{
    /// <summary>Messages sent (maps, deltas, verify requests, goodbyes).</summary>
    public async Task<int> PublishAsync(MapChangeBatch batch, CancellationToken ct)
    {
        var changedDevices = batch.Devices.Concat(batch.VerifyDevices).ToHashSet();
        foreach (var lost in batch.ExpiredLosses)
        {
            // Offline only if the device did not log in again (a new session has a new connection id).
            var updated = await db.Devices.Where(d => d.Id == lost.DeviceId && d.ConnectionId == lost.ConnectionId)
                .ExecuteUpdateAsync(s => s.SetProperty(d => d.ConnectionId, (string?)null), ct);
            if (updated > 0)
            {
                changedDevices.Add(lost.DeviceId);
            }
        }

        var sent = 0;
        foreach (var revoked in batch.RevokedDevices)
        {
            await hub.Clients.Group(AgentGroups.Device(revoked)).Goodbye(LoginErrors.UnknownDevice, "this device was deleted from its account");
            sent++;
        }

        var changedUsers = batch.Accounts.ToHashSet();
        if (changedDevices.Count > 0)
        {
            var ids = changedDevices.ToList();
            changedUsers.UnionWith(await db.Devices.Where(d => ids.Contains(d.Id)).Select(d => d.UserId).ToListAsync(ct));
        }

        var users = changedUsers.ToList();
        var networks = batch.Networks.ToHashSet();
        networks.UnionWith(await db.Memberships.Where(m => users.Contains(m.UserId) && m.Status == MemberStatus.Active).Select(m => m.NetworkId).ToListAsync(ct));
        var networkList = networks.ToList();
        changedUsers.UnionWith(await db.Memberships.Where(m => networkList.Contains(m.NetworkId) && m.Status == MemberStatus.Active).Select(m => m.UserId).ToListAsync(ct));
        if (changedUsers.Count == 0)
        {
            return sent;
        }

        // Only accounts with a connected device get a map: the snapshot is read for them alone (their networks, those
        // networks' members and devices), not for every member of every touched network (a presence change in a
        // 256-member network would otherwise read all 256 accounts' networks, members and devices each tick).
        var affected = changedUsers.ToList();
        var connectedUsers = await db.Devices.Where(d => affected.Contains(d.UserId) && d.ConnectionId != null).Select(d => d.UserId).Distinct().ToListAsync(ct);
        if (connectedUsers.Count == 0)
        {
            return sent;
        }

        var snapshot = await LoadAsync(connectedUsers, ct);
        var targets = snapshot.Devices.Where(d => d.Connected && changedUsers.Contains(d.UserId)).Select(d => d.Id).ToList();
        var updates = await BuildAsync(snapshot, targets, forceFull: false, ct);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // A login or another node issued a map for one of these devices meanwhile (version
            // token or first-map insert): rebuild next tick.
            log.LogInformation("map versions moved on another node; rebuilding {Count} accounts next tick", changedUsers.Count);
            db.ChangeTracker.Clear();
            foreach (var user in changedUsers)
            {
                queue.AccountChanged(user);
            }

            return sent;
        }

        foreach (var update in updates)
        {
            sent += await SendAsync(update, batch.VerifyDevices, ct);
        }

        return sent;
    }

    /// <summary>Builds, stores and signs the full map of one device (at login and on request); the caller sends it.</summary>
    public async Task<SignedMessage> FullMapAsync(Guid deviceId, Guid userId, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            var snapshot = await LoadAsync([userId], ct);
            var update = (await BuildAsync(snapshot, [deviceId], forceFull: true, ct)).Single();
            try
            {
                await db.SaveChangesAsync(ct);
                return update.Message!;
            }
            catch (DbUpdateException) when (attempt < 3)
            {
                // A tick issued a map for this device meanwhile: build again on top of it.
                db.ChangeTracker.Clear();
            }
        }
    }

    /// <summary>The snapshot of these accounts plus the live relays (every map lists them).</summary>
    private async Task<MapSnapshot> LoadAsync(IReadOnlyCollection<Guid> users, CancellationToken ct)
    {
        var snapshot = await MapSnapshotLoader.LoadAsync(db, users, ct);
        return snapshot with { Relays = await Relays.RelayDirectory.LiveAsync(db, clock.GetUtcNow(), relays.Value.LiveSeconds, ct) };
    }

    private async Task<List<MapUpdate>> BuildAsync(MapSnapshot snapshot, List<Guid> targets, bool forceFull, CancellationToken ct)
    {
        var states = await db.DeviceMapStates.Where(s => targets.Contains(s.DeviceId)).ToDictionaryAsync(s => s.DeviceId, ct);
        var now = clock.GetUtcNow();
        var overlay = pool.Value.IPv4Pool;
        var updates = new List<MapUpdate>(targets.Count);
        foreach (var id in targets)
        {
            states.TryGetValue(id, out var state);
            var map = NetworkMapBuilder.Build(snapshot, id, (state?.Version ?? 0) + 1, overlay, now);
            var old = state is null || forceFull ? null : ControlJson.Deserialize<NetworkMap>(state.Payload);
            var delta = old is null ? null : NetworkMapDiff.Diff(old, map);
            if (delta is not null && NetworkMapDiff.IsEmpty(delta))
            {
                updates.Add(new MapUpdate(id, map, old, null, IsDelta: false)); // unchanged: no message, same version
                continue;
            }

            if (state is null)
            {
                state = new DeviceMapState { DeviceId = id };
                db.DeviceMapStates.Add(state);
            }

            state.Version = map.Version;
            state.Payload = System.Text.Encoding.UTF8.GetString(ControlJson.Serialize(map));
            state.IssuedAt = now;
            updates.Add(delta is null
                ? new MapUpdate(id, map, old, identity.SignJson(map), IsDelta: false)
                : new MapUpdate(id, map, old, identity.SignJson(delta), IsDelta: true));
        }

        return updates;
    }

    private async Task<int> SendAsync(MapUpdate update, IReadOnlySet<Guid> verify, CancellationToken ct)
    {
        var client = hub.Clients.Group(AgentGroups.Device(update.DeviceId));
        var sent = 0;
        if (update.Message is null)
        {
            // unchanged map
        }
        else if (update.IsDelta)
        {
            await client.NetworkMapDelta(update.Message);
            sent++;
        }
        else
        {
            await client.NetworkMap(update.Message);
            sent++;
        }

        var lost = update.Map.Peers.Where(p => verify.Contains(p.DeviceId)).Select(p => p.DeviceId).ToList();
        if (lost.Count > 0)
        {
            await client.VerifyPeers(new VerifyPeersRequest(lost));
            sent++;
        }

        await SyncGroupsAsync(update, ct);
        return sent;
    }

    /// <summary>Keeps the session's network groups in step with its map.</summary>
    private async Task SyncGroupsAsync(MapUpdate update, CancellationToken ct)
    {
        var before = update.Previous?.Networks.Select(n => n.Id).ToHashSet() ?? [];
        var after = update.Map.Networks.Select(n => n.Id).ToHashSet();
        if (update.Message is null || before.SetEquals(after))
        {
            return;
        }

        var connection = await db.Devices.Where(d => d.Id == update.DeviceId).Select(d => d.ConnectionId).FirstOrDefaultAsync(ct);
        if (connection is null)
        {
            return;
        }
        foreach (var added in after.Except(before))
        {
            await hub.Groups.AddToGroupAsync(connection, AgentGroups.Network(added), ct);
        }

        foreach (var removed in before.Except(after))
        {
            await hub.Groups.RemoveFromGroupAsync(connection, AgentGroups.Network(removed), ct);
        }
    }

    private sealed record MapUpdate(Guid DeviceId, NetworkMap Map, NetworkMap? Previous, SignedMessage? Message, bool IsDelta);
}
