namespace HamachiCloud.Api.Contracts.Live;

/// <summary>
/// What the Api pushes to a Portal connection. The network pushes go to connections that called
/// <see cref="IPortalHub.WatchNetwork"/>; <see cref="NetworksChanged"/> goes to every connection of
/// the account. Sent from the same tick that sends agents their maps (every node, over the backplane).
/// </summary>
public interface IPortalClient
{
    /// <summary>A watched network's members changed (join, approval, eviction, role, presence, go-offline, rename…): the full current list.</summary>
    Task MembersChanged(NetworkMembersUpdate update);

    /// <summary>A watched network's path reports changed: read GET /api/v1/networks/{id}/paths again.</summary>
    Task PathsChanged(Guid networkId);

    /// <summary>A watched network was deleted.</summary>
    Task NetworkDeleted(Guid networkId);

    /// <summary>The account's network list changed (joined, left, approved, created, deleted, renamed): read GET /api/v1/networks again.</summary>
    Task NetworksChanged();

    /// <summary>
    /// One of the account's networks has new counts (a member's device went online or offline, a
    /// membership changed): update that row in place, no read. Sent to every connection of the account.
    /// </summary>
    Task NetworkCountsChanged(NetworkCountsUpdate update);
}
