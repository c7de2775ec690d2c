using HamachiCloud.Api.Contracts.Live;
using HamachiCloud.Api.ControlPlane;
using HamachiCloud.Api.Members;
using Microsoft.AspNetCore.SignalR;

namespace HamachiCloud.Api.Live;

/// <summary>
/// The Portal's half of a tick (called by <see cref="MapUpdateBatcher"/> after <see cref="MapPublisher"/>):
/// finds the networks the batch touched (changed networks; every network of a changed account or
/// of a changed device's account: joins, approvals, evictions, roles, presence, go-offline, renames,
/// routes), loads their member lists once (<see cref="MemberListLoader"/>, two queries for all), fixes
/// this node's watchers' groups, and sends each list to the network's managers' and members' groups;
/// <c>NetworkDeleted</c> goes first (before its watchers leave the groups), then <c>PathsChanged</c>,
/// each touched network's <c>NetworkCountsChanged</c> to its members' accounts (their networks lists),
/// and the accounts' <c>NetworksChanged</c> last.
/// Through the hub context, so watchers on other nodes get it over the backplane. Scoped.
/// </summary>
internal sealed class PortalPublisher(
    HamachiDbContext db, IHubContext<PortalHub, IPortalClient> hub, PortalWatchers watchers, PortalWatchGroups groups, TimeProvider clock)
{
    /// <summary>Messages sent (one per group).</summary>
    public async Task<int> PublishAsync(MapChangeBatch batch, CancellationToken ct)
    {
        var devices = batch.Devices.Concat(batch.ExpiredLosses.Select(l => l.DeviceId)).Concat(batch.PathDevices).Distinct().ToList();
        var owners = devices.Count == 0
            ? []
            : await db.Devices.AsNoTracking().Where(d => devices.Contains(d.Id)).Select(d => new { d.Id, d.UserId }).ToDictionaryAsync(d => d.Id, d => d.UserId, ct);
        var users = batch.Accounts.Concat(batch.Devices.Concat(batch.ExpiredLosses.Select(l => l.DeviceId)).Where(owners.ContainsKey).Select(d => owners[d]))
            .Distinct().ToList();
        var pathUsers = batch.PathDevices.Where(owners.ContainsKey).Select(d => owners[d]).Distinct().ToList();

        var touched = batch.Networks.ToHashSet();
        if (users.Count > 0)
        {
            touched.UnionWith(await db.Memberships.AsNoTracking().Where(m => users.Contains(m.UserId)).Select(m => m.NetworkId).ToListAsync(ct));
        }

        touched.ExceptWith(batch.DeletedNetworks);
        var pathNetworks = pathUsers.Count == 0
            ? []
            : await db.Memberships.AsNoTracking().Where(m => pathUsers.Contains(m.UserId) && m.Status == MemberStatus.Active)
                .Select(m => m.NetworkId).Distinct().ToListAsync(ct);
        var lists = await MemberListLoader.LoadAsync(db, touched, ct);

        var sent = 0;
        foreach (var network in batch.DeletedNetworks)
        {
            await hub.Clients.Groups([LiveGroups.Network(network, manager: true), LiveGroups.Network(network, manager: false)]).NetworkDeleted(network);
            sent += 2;
        }

        // Watchers go where their membership allows now (an evicted member gets nothing more; a deleted network's watchers leave).
        var affected = lists.Keys.Concat(batch.DeletedNetworks).ToHashSet();
        await groups.ApplyAsync(watchers.Snapshot(affected), (n, u) => lists.TryGetValue(n, out var l) ? l.ActiveRole(u) : null, ct);

        var now = clock.GetUtcNow();
        foreach (var list in lists.Values)
        {
            await hub.Clients.Group(LiveGroups.Network(list.NetworkId, manager: true)).MembersChanged(Update(list, manager: true, now));
            await hub.Clients.Group(LiveGroups.Network(list.NetworkId, manager: false)).MembersChanged(Update(list, manager: false, now));
            sent += 2;
        }

        foreach (var network in pathNetworks.Where(n => !batch.DeletedNetworks.Contains(n)))
        {
            await hub.Clients.Groups([LiveGroups.Network(network, manager: true), LiveGroups.Network(network, manager: false)]).PathsChanged(network);
            sent += 2;
        }

        // Network lists follow presence: the counts of every other touched network (a member's device went online or
        // offline) go to its active and pending members' accounts, one message per network; the networks in
        // batch.Networks get NetworksChanged below and are read again.
        foreach (var list in lists.Values)
        {
            if (batch.Networks.Contains(list.NetworkId))
            {
                continue;
            }

            var listeners = list.All.Where(m => m.Status is MemberStatus.Active or MemberStatus.Pending).Select(m => LiveGroups.Account(m.UserId)).ToList();
            await hub.Clients.Groups(listeners).NetworkCountsChanged(new NetworkCountsUpdate(list.NetworkId, list.ActiveCount, list.OnlineCount));
            sent += listeners.Count;
        }

        // Network lists: accounts whose memberships changed, and every member of a network whose settings or members changed.
        var accounts = batch.Accounts.ToHashSet();
        foreach (var network in batch.Networks)
        {
            if (lists.TryGetValue(network, out var list))
            {
                accounts.UnionWith(list.All.Where(m => m.Status is MemberStatus.Active or MemberStatus.Pending).Select(m => m.UserId));
            }
        }

        if (accounts.Count > 0)
        {
            await hub.Clients.Groups(accounts.Select(LiveGroups.Account).ToList()).NetworksChanged();
            sent += accounts.Count;
        }

        return sent;
    }

    public static NetworkMembersUpdate Update(NetworkMembers list, bool manager, DateTimeOffset now) =>
        new(list.NetworkId, list.ViewFor(manager), list.OnlineCount, manager ? list.PendingCount : null, now);
}
