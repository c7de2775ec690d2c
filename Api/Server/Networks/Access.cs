namespace HamachiCloud.Api.Networks;

/// <summary>Who may do what inside a network (memberships must be loaded).</summary>
internal static class Access
{
    /// <summary>The caller's active membership; 404 for non-members so existence is not revealed.</summary>
    public static Membership RequireMember(Network network, Guid userId) =>
        network.Memberships.FirstOrDefault(m => m.UserId == userId && m.Status == MemberStatus.Active)
        ?? throw ApiProblemException.NotFound("network");

    /// <summary>The caller's membership if it is an owner or admin; 403 otherwise.</summary>
    public static Membership RequireManager(Network network, Guid userId)
    {
        var me = RequireMember(network, userId);
        return me.Role is MemberRole.Owner or MemberRole.Admin
            ? me
            : throw ApiProblemException.Forbidden("only the network's owner or admins can do this");
    }
}
