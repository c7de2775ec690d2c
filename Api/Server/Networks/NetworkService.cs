using HamachiCloud.Api.Audit;
using HamachiCloud.Api.Contracts.Networks;
using HamachiCloud.Api.ControlPlane;
using Microsoft.AspNetCore.Identity;

namespace HamachiCloud.Api.Networks;

/// <summary>Creating, reading, changing and deleting networks. Every rule is checked here.</summary>
internal sealed class NetworkService(HamachiDbContext db, AuditLog audit, TimeProvider clock, IPasswordHasher<Network> hasher, MapChangeQueue changes)
{
    public async Task<NetworkDto> CreateAsync(Guid userId, CreateNetworkRequest request, CancellationToken ct)
    {
        new Validator()
            .Name("name", request.Name)
            .Defined("type", request.Type)
            .Check(request.JoinPolicy is null || Enum.IsDefined(request.JoinPolicy.Value), "joinPolicy", "is not a valid value")
            .Password("password", request.Password)
            .Check(request.Password is null || request.Password.Length > 0, "password", "must not be empty (omit it for no password)")
            .Check(request.JoinPolicy != JoinPolicy.Password || !string.IsNullOrEmpty(request.Password), "password", "is required by the password join policy")
            .ThrowIfInvalid();

        var now = clock.GetUtcNow();
        var plan = await Plans.PlanChanges.AccountPlanAsync(db, userId, now, ct);
        if (request.Type == NetworkType.Gateway && !plan.PremiumFeatures)
        {
            throw Plans.PlanGates.Required(await Plans.PlanGates.SmallestPremiumAsync(db, ct), $"a gateway network (a new network starts on {plan.Name})", null);
        }

        var network = new Network
        {
            Id = Guid.CreateVersion7(now),
            NetworkId = await NewNetworkIdAsync(ct),
            Name = request.Name.Trim(),
            Type = request.Type,
            JoinPolicy = request.JoinPolicy ?? DefaultJoinPolicy(request.Password),
            OwnerId = userId,
            PlanId = plan.Id,
            CreatedAt = now,
            ConcurrencyStamp = Guid.NewGuid(),
        };
        if (request.Password is not null)
        {
            network.PasswordHash = hasher.HashPassword(network, request.Password);
        }

        db.Networks.Add(network);
        db.Memberships.Add(new Membership
        {
            Id = Guid.CreateVersion7(now),
            NetworkId = network.Id,
            UserId = userId,
            Role = MemberRole.Owner,
            HubRole = HubRole.Hub,
            Status = MemberStatus.Active,
            CreatedAt = now,
            UpdatedAt = now,
        });
        audit.Record(userId, "network.created", "network", network.Id, $"{network.NetworkId} {network.Type}");
        await db.SaveChangesAsync(ct);
        changes.AccountChanged(userId);
        return await GetAsync(userId, network.Id, ct);
    }

    /// <summary>
    /// Without an explicit policy a network is never open to anyone who finds its id: a password
    /// means the password policy, no password means the owner approves each join. Open is opt-in.
    /// </summary>
    public static JoinPolicy DefaultJoinPolicy(string? password) => password is null ? JoinPolicy.Approval : JoinPolicy.Password;

    /// <summary>The networks the user is an active or pending member of (three queries, <see cref="NetworkListing"/>).</summary>
    public async Task<List<NetworkDto>> ListMineAsync(Guid userId, CancellationToken ct)
    {
        var mine = db.Networks.Where(n => n.Memberships.Any(m => m.UserId == userId && (m.Status == MemberStatus.Active || m.Status == MemberStatus.Pending)));
        var result = await NetworkListing.LoadAsync(db, userId, mine, ct);
        return result.OrderBy(n => n.Name, StringComparer.OrdinalIgnoreCase).ThenBy(n => n.Id).ToList();
    }

    /// <summary>404 unless the caller is an active or pending member (existence is not revealed).</summary>
    public async Task<NetworkDto> GetAsync(Guid userId, Guid id, CancellationToken ct)
    {
        var network = await LoadAsync(id, ct);
        var me = network.Memberships.FirstOrDefault(m => m.UserId == userId);
        if (me is null || me.Status is not (MemberStatus.Active or MemberStatus.Pending))
        {
            throw ApiProblemException.NotFound("network");
        }

        return await ToDtoAsync(network, userId, ct);
    }

    public async Task<NetworkDto> UpdateAsync(Guid userId, Guid id, UpdateNetworkRequest request, CancellationToken ct)
    {
        new Validator()
            .Name("name", request.Name, required: false)
            .Password("password", request.Password)
            .Check(request.JoinPolicy is null || Enum.IsDefined(request.JoinPolicy.Value), "joinPolicy", "is not a valid value")
            .Check(request.Type is null || Enum.IsDefined(request.Type.Value), "type", "is not a valid value")
            .ThrowIfInvalid();

        var network = await LoadAsync(id, ct);
        Access.RequireManager(network, userId);
        var changed = new List<string>();
        if (request.Type is { } type && type != network.Type)
        {
            if (type == NetworkType.Gateway)
            {
                await Plans.PlanGates.RequirePremiumAsync(db, network, "a gateway network", ct);
            }

            network.Type = type;
            changed.Add($"type={type}");
        }

        if (request.Name is not null)
        {
            network.Name = request.Name.Trim();
            changed.Add("name");
        }

        if (request.Password is not null)
        {
            network.PasswordHash = request.Password.Length == 0 ? null : hasher.HashPassword(network, request.Password);
            changed.Add(request.Password.Length == 0 ? "password removed" : "password");
        }

        if (request.JoinPolicy is { } policy)
        {
            network.JoinPolicy = policy;
            changed.Add($"joinPolicy={policy}");
        }

        if (request.Locked is { } locked)
        {
            network.IsLocked = locked;
            changed.Add(locked ? "locked" : "unlocked");
        }

        if (request.AllowPublicRoutes is { } allowPublic && allowPublic != network.AllowPublicRoutes)
        {
            await SetAllowPublicRoutesAsync(userId, network, allowPublic, changed, ct);
        }

        if (network.JoinPolicy == JoinPolicy.Password && network.PasswordHash is null)
        {
            throw ApiProblemException.BadRequest(ErrorCodes.ValidationFailed, "password: is required by the password join policy");
        }

        audit.Record(userId, "network.updated", "network", network.Id, string.Join(", ", changed));
        await db.SaveChangesAsync(ct);
        changes.NetworkChanged(network.Id);
        return await ToDtoAsync(network, userId, ct);
    }

    /// <summary>
    /// Only the owner lets a gateway network carry public routes (a member's device still installs them only
    /// if it accepts them). Turning it off rejects the approved public routes at once, each audited.
    /// </summary>
    private async Task SetAllowPublicRoutesAsync(Guid userId, Network network, bool allow, List<string> changed, CancellationToken ct)
    {
        if (network.OwnerId != userId)
        {
            throw new ApiProblemException(403, ErrorCodes.NotOwner, "allowPublicRoutes: only the owner can change whether the network carries public routes");
        }

        new Validator()
            .Check(network.Type == NetworkType.Gateway, "allowPublicRoutes", $"network {network.NetworkId} is a {network.Type} network; only gateway networks have routes")
            .ThrowIfInvalid();

        network.AllowPublicRoutes = allow;
        changed.Add($"allowPublicRoutes={allow}");
        if (allow)
        {
            return;
        }

        var approved = await db.GatewayRoutes.Where(r => r.NetworkId == network.Id && r.Status == RouteStatus.Approved).ToListAsync(ct);
        foreach (var route in approved.Where(r => Protocol.Routing.RouteScope.IsPublic(r.Prefix)))
        {
            route.Status = RouteStatus.Rejected;
            route.DecidedById = userId;
            route.DecidedAt = clock.GetUtcNow();
            audit.Record(userId, "route.rejected", "network", network.Id, $"{route.Prefix} via device {route.DeviceId}: the network no longer allows public routes");
        }
    }

    public async Task DeleteAsync(Guid userId, Guid id, CancellationToken ct)
    {
        var network = await LoadAsync(id, ct);
        Access.RequireMember(network, userId);
        if (network.OwnerId != userId)
        {
            throw new ApiProblemException(403, ErrorCodes.NotOwner, "only the owner can delete a network");
        }

        var memberIds = network.Memberships.Select(m => m.UserId).ToList();
        db.Networks.Remove(network);
        audit.Record(userId, "network.deleted", "network", network.Id, network.NetworkId);
        await db.SaveChangesAsync(ct);
        changes.NetworkDeleted(id);
        foreach (var member in memberIds)
        {
            changes.AccountChanged(member);
        }
    }

    internal async Task<Network> LoadAsync(Guid id, CancellationToken ct) =>
        await db.Networks.Include(n => n.Memberships).Include(n => n.Plan).FirstOrDefaultAsync(n => n.Id == id, ct)
        ?? throw ApiProblemException.NotFound("network");

    /// <summary>The network as <paramref name="userId"/> sees it, read after any change was saved.</summary>
    internal async Task<NetworkDto> ToDtoAsync(Network network, Guid userId, CancellationToken ct)
    {
        var id = network.Id;
        return (await NetworkListing.LoadAsync(db, userId, db.Networks.Where(n => n.Id == id), ct)).Single();
    }

    private async Task<string> NewNetworkIdAsync(CancellationToken ct)
    {
        for (var attempt = 0; attempt < 20; attempt++)
        {
            var candidate = NetworkIds.NewId();
            if (!await db.Networks.AnyAsync(n => n.NetworkId == candidate, ct))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException("could not find a free network id in 20 attempts");
    }
}
