namespace HamachiCloud.Api.Contracts.Live;

/// <summary>What a Portal connection may call on <see cref="PortalHubContract.PortalHubPath"/>.</summary>
public interface IPortalHub
{
    /// <summary>
    /// Starts the <see cref="IPortalClient.MembersChanged"/> and <see cref="IPortalClient.PathsChanged"/>
    /// pushes for one network and answers its current member list (so nothing falls between a GET and
    /// the watch). Active members only; anyone else gets a HubException <see cref="PortalHubContract.Forbidden"/>.
    /// </summary>
    Task<NetworkMembersUpdate> WatchNetwork(Guid networkId);

    /// <summary>Stops the pushes for that network (no error if not watched).</summary>
    Task UnwatchNetwork(Guid networkId);
}
