namespace HamachiCloud.Api.Contracts.Members;

/// <summary>
/// PUT /api/v1/networks/{id}/active-members (owner only): the members who stay active when the network's plan allows
/// fewer members than it has (after a downgrade or lapse). The owner always stays and need not be listed; at most the
/// plan's limit in all. Members not listed are set aside first ("inactive: over plan limit"); when fewer are listed
/// than the limit allows, the longest-standing others fill the seats. Nothing is deleted; an upgrade restores everyone.
/// </summary>
public sealed record SetActiveMembersRequest(IReadOnlyList<Guid> UserIds);
