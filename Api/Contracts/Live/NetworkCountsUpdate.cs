namespace HamachiCloud.Api.Contracts.Live;

/// <summary>
/// A network's counts as its networks list shows them (<c>NetworkDto.MemberCount</c> and
/// <c>NetworkDto.OnlineCount</c>: active members, and active members with a device online in it),
/// pushed to its active and pending members' accounts when a tick changed its members' presence.
/// </summary>
public sealed record NetworkCountsUpdate(Guid NetworkId, int MemberCount, int OnlineCount);
