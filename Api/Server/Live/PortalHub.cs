using HamachiCloud.Api.Auth;
using HamachiCloud.Api.Contracts.Live;
using HamachiCloud.Api.Members;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;

namespace HamachiCloud.Api.Live;

/// <summary>
/// Live updates for signed-in users at <see cref="PortalHubContract.PortalHubPath"/> (JSON): every
/// connection is in its account's group (<see cref="IPortalClient.NetworksChanged"/>); watching a
/// network (active members only) adds it to that network's managers' or members' group, which
/// <see cref="PortalPublisher"/> feeds from the map tick. Needs an OAuth access token with scope api.
/// </summary>
[Authorize(Policy = AuthSchemes.LivePolicy)]
internal sealed class PortalHub(HamachiDbContext db, PortalWatchers watchers, TimeProvider clock, ILogger<PortalHub> log)
    : Hub<IPortalClient>, IPortalHub
{
    public override async Task OnConnectedAsync()
    {
        var userId = Context.User!.UserId();
        watchers.Connected(Context.ConnectionId, userId);
        await Groups.AddToGroupAsync(Context.ConnectionId, LiveGroups.Account(userId), Context.ConnectionAborted);
        await base.OnConnectedAsync();
    }

    public override Task OnDisconnectedAsync(Exception? exception)
    {
        watchers.Disconnected(Context.ConnectionId);
        return base.OnDisconnectedAsync(exception);
    }

    public async Task<NetworkMembersUpdate> WatchNetwork(Guid networkId)
    {
        var userId = Context.User!.UserId();
        var ct = Context.ConnectionAborted;
        var role = await db.Memberships.AsNoTracking()
            .Where(m => m.NetworkId == networkId && m.UserId == userId && m.Status == MemberStatus.Active)
            .Select(m => (MemberRole?)m.Role)
            .FirstOrDefaultAsync(ct);
        if (role is null)
        {
            log.LogInformation("portal connection {ConnectionId} of {UserId} may not watch network {NetworkId}", Context.ConnectionId, userId, networkId);
            throw new HubException(PortalHubContract.Forbidden);
        }

        // Join first, then read: an update made in between arrives as a push after this answer.
        var manager = NetworkMembers.IsManager(role);
        var before = watchers.Set(Context.ConnectionId, networkId, manager);
        if (before is { } old && old != manager)
        {
            await Groups.RemoveFromGroupAsync(Context.ConnectionId, LiveGroups.Network(networkId, old), ct);
        }

        await Groups.AddToGroupAsync(Context.ConnectionId, LiveGroups.Network(networkId, manager), ct);
        var members = await MemberListLoader.LoadAsync(db, networkId, ct);
        if (members is null)
        {
            throw new HubException(PortalHubContract.Forbidden); // deleted meanwhile
        }

        return PortalPublisher.Update(members, manager, clock.GetUtcNow());
    }

    public async Task UnwatchNetwork(Guid networkId)
    {
        watchers.Set(Context.ConnectionId, networkId, null);
        await Groups.RemoveFromGroupAsync(Context.ConnectionId, LiveGroups.Network(networkId, manager: true), Context.ConnectionAborted);
        await Groups.RemoveFromGroupAsync(Context.ConnectionId, LiveGroups.Network(networkId, manager: false), Context.ConnectionAborted);
    }
}
