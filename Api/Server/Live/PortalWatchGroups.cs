using HamachiCloud.Api.Contracts.Live;
using Microsoft.AspNetCore.SignalR;

namespace HamachiCloud.Api.Live;

/// <summary>
/// Keeps this node's watchers in the group their membership allows now: a member promoted to admin
/// moves to the managers' group, a demoted admin to the members' group, an evicted, rejected or
/// departed member (or a deleted network's watcher) leaves both. Run before each push by the node that
/// made the change, and every <c>ControlPlane:SessionCheckSeconds</c> on every node (<see cref="PortalWatchRevalidator"/>).
/// </summary>
internal sealed class PortalWatchGroups(PortalWatchers watchers, IHubContext<PortalHub, IPortalClient> hub)
{
    /// <param name="activeRole">The watcher's active-membership role in the network, null when not an active member.</param>
    public async Task ApplyAsync(IEnumerable<PortalWatch> watches, Func<Guid, Guid, MemberRole?> activeRole, CancellationToken ct)
    {
        foreach (var watch in watches)
        {
            var role = activeRole(watch.NetworkId, watch.UserId);
            bool? wanted = role is null ? null : Members.NetworkMembers.IsManager(role);
            if (wanted == watch.Manager)
            {
                continue;
            }

            watchers.Set(watch.ConnectionId, watch.NetworkId, wanted);
            await hub.Groups.RemoveFromGroupAsync(watch.ConnectionId, LiveGroups.Network(watch.NetworkId, watch.Manager), ct);
            if (wanted is { } manager)
            {
                await hub.Groups.AddToGroupAsync(watch.ConnectionId, LiveGroups.Network(watch.NetworkId, manager), ct);
            }
        }
    }
}
