using Hangfire;
using HamachiCloud.Api.Audit;
using HamachiCloud.Api.Contracts.Members;
using HamachiCloud.Api.Contracts.Networks;
using HamachiCloud.Api.ControlPlane;
using HamachiCloud.Api.Networks;
using Microsoft.AspNetCore.Identity;

namespace HamachiCloud.Api.Members;

/// <summary>Joining, leaving and managing the members of a network. Every rule is checked here.</summary>
internal sealed class MemberService(
    HamachiDbContext db, NetworkService networks, AuditLog audit, TimeProvider clock, IPasswordHasher<Network> hasher, MapChangeQueue changes,
    JoinThrottle throttle, Plans.PlanChanges plans, RateLimiting.GuessLimits guesses, Microsoft.Extensions.Options.IOptions<RateLimiting.RateLimitOptions> limits,
    IBackgroundJobClient jobs)
{
    /// <summary>
    /// Joins, retrying when another change of the same network's members won the race (the
    /// seat count is then re-read, so the member limit holds under concurrency).
    /// </summary>
    public async Task<NetworkDto> JoinAsync(Guid userId, JoinNetworkRequest request, CancellationToken ct)
    {
        await throttle.TakeAsync(userId, ct);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await JoinOnceAsync(userId, request, ct);
            }
            catch (DbUpdateConcurrencyException) when (attempt < 5)
            {
                db.ChangeTracker.Clear();
            }
            catch (DbUpdateConcurrencyException)
            {
                throw ApiProblemException.Conflict(ErrorCodes.Conflict, "the network changed while joining; try again");
            }
        }
    }

    private async Task<NetworkDto> JoinOnceAsync(Guid userId, JoinNetworkRequest request, CancellationToken ct)
    {
        var typed = NetworkIds.Normalize(request.NetworkId);
        new Validator()
            .Check(typed is not null, "networkId", $"'{request.NetworkId}' is not a network id (nine digits, e.g. 482-193-557)")
            .Password("password", request.Password)
            .ThrowIfInvalid();

        var id = await db.Networks.Where(n => n.NetworkId == typed).Select(n => (Guid?)n.Id).FirstOrDefaultAsync(ct)
            ?? throw ApiProblemException.NotFound($"network {typed}");
        var network = await networks.LoadAsync(id, ct);
        var existing = network.Memberships.FirstOrDefault(m => m.UserId == userId);
        if (existing?.Status == MemberStatus.Active)
        {
            throw ApiProblemException.Conflict(ErrorCodes.AlreadyMember, $"you are already a member of {network.NetworkId}");
        }

        if (existing?.Status == MemberStatus.Pending)
        {
            throw ApiProblemException.Conflict(ErrorCodes.JoinPending, $"your request to join {network.NetworkId} is waiting for approval");
        }

        if (network.IsLocked)
        {
            throw new ApiProblemException(403, ErrorCodes.NetworkLocked, $"network {network.NetworkId} is locked: it accepts no new members");
        }

        if (network.PasswordHash is not null)
        {
            if (string.IsNullOrEmpty(request.Password))
            {
                throw new ApiProblemException(403, ErrorCodes.PasswordRequired, $"network {network.NetworkId} requires a password");
            }

            // Wrong passwords are limited per account and per network (shared across nodes): a held key is refused
            // before its password is even checked, right or wrong.
            string[] guessKeys = ["user:" + userId.ToString("N"), "network:" + network.Id.ToString("N")];
            await guesses.CheckAsync(RateLimiting.GuessLimits.NetworkPassword, limits.Value.NetworkPasswordGuessesPerMinute, guessKeys, "network passwords", ct);
            if (hasher.VerifyHashedPassword(network, network.PasswordHash, request.Password) == PasswordVerificationResult.Failed)
            {
                await guesses.WrongAsync(RateLimiting.GuessLimits.NetworkPassword, guessKeys, ct);
                audit.Record(userId, "member.join_refused", "network", network.Id, "wrong password");
                await db.SaveChangesAsync(ct);
                throw new ApiProblemException(403, ErrorCodes.WrongPassword, $"wrong password for network {network.NetworkId}");
            }
        }

        await MemberLimits.RequireSeatAsync(db, network, await MemberLimits.SeatsTakenAsync(db, network.Id, ct), ct);

        var now = clock.GetUtcNow();
        var status = network.JoinPolicy == JoinPolicy.Approval ? MemberStatus.Pending : MemberStatus.Active;
        var membership = existing ?? new Membership { Id = Guid.CreateVersion7(now), NetworkId = network.Id, UserId = userId, CreatedAt = now };
        membership.Role = MemberRole.Member;
        membership.HubRole = HubRole.Spoke;
        membership.Status = status;
        membership.UpdatedAt = now;
        network.ConcurrencyStamp = Guid.NewGuid();
        if (existing is null)
        {
            db.Memberships.Add(membership); // EF fix-up also adds it to network.Memberships
        }

        audit.Record(userId, status == MemberStatus.Pending ? "member.requested" : "member.joined", "network", network.Id);
        await db.SaveChangesAsync(ct);
        if (status == MemberStatus.Pending)
        {
            jobs.Enqueue<MemberMails>(m => m.SendJoinRequestedAsync(network.Id, userId, CancellationToken.None));
        }

        changes.NetworkChanged(network.Id);
        changes.AccountChanged(userId);
        return await networks.ToDtoAsync(network, userId, ct);
    }

    public async Task LeaveAsync(Guid userId, Guid networkId, CancellationToken ct)
    {
        var network = await networks.LoadAsync(networkId, ct);
        var me = network.Memberships.FirstOrDefault(m => m.UserId == userId && m.Status is MemberStatus.Active or MemberStatus.Pending)
            ?? throw ApiProblemException.NotFound("network");
        if (me.Role == MemberRole.Owner)
        {
            throw ApiProblemException.Conflict(ErrorCodes.OwnerCannotLeave, "the owner cannot leave; delete the network instead");
        }

        db.Memberships.Remove(me);
        audit.Record(userId, "member.left", "network", network.Id);
        await db.SaveChangesAsync(ct);
        changes.NetworkChanged(network.Id);
        changes.AccountChanged(userId);
        await plans.ApplyMemberLimitsAsync([network.Id], ct); // a seat freed under the limit goes to the next member set aside
    }

    /// <summary>
    /// The owner's choice of who stays active under the plan's limit (<see cref="SetActiveMembersRequest"/>): marks the
    /// chosen members <see cref="Membership.KeepActive"/> (and clears it on the others), then re-applies the limit.
    /// </summary>
    public async Task<IReadOnlyList<MemberDto>> SetActiveMembersAsync(Guid userId, Guid networkId, SetActiveMembersRequest request, CancellationToken ct)
    {
        var network = await networks.LoadAsync(networkId, ct);
        var me = Access.RequireMember(network, userId);
        if (me.Role != MemberRole.Owner)
        {
            throw new ApiProblemException(403, ErrorCodes.NotOwner, "only the owner chooses who stays active");
        }

        var validator = new Validator().Check(request.UserIds is not null, "userIds", "is required (the members who stay active)");
        validator.ThrowIfInvalid();
        var active = network.Memberships.Where(m => m.Status == MemberStatus.Active).ToDictionary(m => m.UserId);
        for (var i = 0; i < request.UserIds!.Count; i++)
        {
            validator.Check(active.ContainsKey(request.UserIds[i]), $"userIds[{i}]", "is not an active member of this network");
        }

        var chosen = request.UserIds.Append(userId).ToHashSet();
        var (limit, planName) = await MemberLimits.ForAsync(db, network, ct);
        validator
            .Check(chosen.Count <= limit, "userIds", $"the {planName} plan allows {limit} active members, you included; {chosen.Count} were chosen")
            .ThrowIfInvalid();

        foreach (var member in active.Values)
        {
            member.KeepActive = member.Role != MemberRole.Owner && chosen.Contains(member.UserId);
        }

        audit.Record(userId, "member.keep_active", "network", network.Id, string.Join(' ', chosen.Where(id => id != userId)));
        await db.SaveChangesAsync(ct);
        await plans.ApplyMemberLimitsAsync([network.Id], ct);
        changes.NetworkChanged(network.Id);
        return await ListAsync(userId, networkId, ct);
    }

    /// <summary>
    /// Active members for everyone; managers also see pending, rejected and evicted rows. Each active
    /// member with its devices in this network. Two queries whatever the size (<see cref="MemberListLoader"/>).
    /// </summary>
    public async Task<IReadOnlyList<MemberDto>> ListAsync(Guid userId, Guid networkId, CancellationToken ct)
    {
        var members = await MemberListLoader.LoadAsync(db, networkId, ct);
        var role = members?.ActiveRole(userId) ?? throw ApiProblemException.NotFound("network");
        return members.ViewFor(NetworkMembers.IsManager(role));
    }

    public Task<MemberDto> ApproveAsync(Guid userId, Guid networkId, Guid memberId, CancellationToken ct) =>
        DecideAsync(userId, networkId, memberId, MemberStatus.Active, "member.approved", ct);

    public Task<MemberDto> RejectAsync(Guid userId, Guid networkId, Guid memberId, CancellationToken ct) =>
        DecideAsync(userId, networkId, memberId, MemberStatus.Rejected, "member.rejected", ct);

    public async Task<MemberDto> EvictAsync(Guid userId, Guid networkId, Guid memberId, CancellationToken ct)
    {
        var (network, me, target) = await LoadPairAsync(userId, networkId, memberId, ct);
        if (target.Status != MemberStatus.Active)
        {
            throw ApiProblemException.Conflict(ErrorCodes.Conflict, "only active members can be evicted");
        }

        RequireOutranks(me, target);
        var evicted = await SaveAsync(target, MemberStatus.Evicted, userId, network, "member.evicted", ct);
        await plans.ApplyMemberLimitsAsync([network.Id], ct);
        return evicted;
    }

    public async Task<MemberDto> SetRoleAsync(Guid userId, Guid networkId, Guid memberId, SetRoleRequest request, CancellationToken ct)
    {
        new Validator()
            .Check(request.Role is MemberRole.Member or MemberRole.Admin, "role", "must be member or admin (ownership is not transferred this way)")
            .ThrowIfInvalid();
        var (network, me, target) = await LoadPairAsync(userId, networkId, memberId, ct);
        if (me.Role != MemberRole.Owner)
        {
            throw new ApiProblemException(403, ErrorCodes.NotOwner, "only the owner can change roles");
        }

        if (target.Role == MemberRole.Owner)
        {
            throw ApiProblemException.Conflict(ErrorCodes.Conflict, "the owner's role cannot be changed");
        }

        target.Role = request.Role;
        return await SaveAsync(target, target.Status, userId, network, $"member.role.{request.Role.ToString().ToLowerInvariant()}", ct);
    }

    public async Task<MemberDto> SetHubRoleAsync(Guid userId, Guid networkId, Guid memberId, SetHubRoleRequest request, CancellationToken ct)
    {
        new Validator().Defined("hubRole", request.HubRole).ThrowIfInvalid();
        var (network, _, target) = await LoadPairAsync(userId, networkId, memberId, ct);
        target.HubRole = request.HubRole;
        return await SaveAsync(target, target.Status, userId, network, $"member.hub_role.{request.HubRole.ToString().ToLowerInvariant()}", ct);
    }

    public async Task<MemberDto> SetNicknameAsync(Guid userId, Guid networkId, SetNicknameRequest request, CancellationToken ct)
    {
        new Validator().Name("nickname", string.IsNullOrEmpty(request.Nickname) ? null : request.Nickname, required: false).ThrowIfInvalid();
        var network = await networks.LoadAsync(networkId, ct);
        var me = Access.RequireMember(network, userId);
        me.Nickname = string.IsNullOrEmpty(request.Nickname) ? null : request.Nickname.Trim();
        return await SaveAsync(me, me.Status, userId, network, "member.nickname", ct);
    }

    private async Task<MemberDto> DecideAsync(Guid userId, Guid networkId, Guid memberId, MemberStatus decision, string action, CancellationToken ct)
    {
        var (network, _, target) = await LoadPairAsync(userId, networkId, memberId, ct);
        if (target.Status != MemberStatus.Pending)
        {
            throw ApiProblemException.Conflict(ErrorCodes.NotPending, $"that member is {target.Status.ToString().ToLowerInvariant()}, not pending");
        }

        if (decision == MemberStatus.Active)
        {
            // A request made before a downgrade holds a seat the smaller plan may no longer have.
            await MemberLimits.RequireSeatAsync(db, network, network.Memberships.Count(m => m.Status == MemberStatus.Active), ct);
        }

        var decided = await SaveAsync(target, decision, userId, network, action, ct);
        var approved = decision == MemberStatus.Active;
        jobs.Enqueue<MemberMails>(m => m.SendJoinDecidedAsync(network.Id, memberId, approved, CancellationToken.None));
        return decided;
    }

    private async Task<(Network Network, Membership Me, Membership Target)> LoadPairAsync(Guid userId, Guid networkId, Guid memberId, CancellationToken ct)
    {
        var network = await networks.LoadAsync(networkId, ct);
        var me = Access.RequireManager(network, userId);
        var target = network.Memberships.FirstOrDefault(m => m.UserId == memberId) ?? throw ApiProblemException.NotFound("member");
        return (network, me, target);
    }

    private static void RequireOutranks(Membership me, Membership target)
    {
        if (target.Role >= me.Role)
        {
            throw ApiProblemException.Forbidden($"an {me.Role.ToString().ToLowerInvariant()} cannot do this to an {target.Role.ToString().ToLowerInvariant()}");
        }
    }

    private async Task<MemberDto> SaveAsync(Membership target, MemberStatus status, Guid actor, Network network, string action, CancellationToken ct)
    {
        target.Status = status;
        target.UpdatedAt = clock.GetUtcNow();
        audit.Record(actor, action, "network", network.Id, $"member {target.UserId}");
        await db.SaveChangesAsync(ct);
        changes.NetworkChanged(network.Id);
        changes.AccountChanged(target.UserId);
        var name = await db.Users.Where(u => u.Id == target.UserId).Select(u => u.DisplayName).SingleAsync(ct);
        return ToDto(target, name);
    }

    private static MemberDto ToDto(Membership m, string displayName) =>
        new(m.UserId, displayName, m.Nickname, m.Role, m.HubRole, m.Status, m.CreatedAt, OverPlanLimit: m.OverPlanLimit);
}
