namespace HamachiCloud.Api.Live;

/// <summary>One connection watching one network, in the managers' or the members' view.</summary>
internal readonly record struct PortalWatch(string ConnectionId, Guid UserId, Guid NetworkId, bool Manager);
