using HamachiCloud.Api.Audit;
using HamachiCloud.Api.Auth;
using HamachiCloud.Api.Contracts.SetupKeys;

namespace HamachiCloud.Api.SetupKeys;

/// <summary>Setup keys for headless enrolment: created (shown once), listed, revoked, consumed.</summary>
internal sealed class SetupKeyService(HamachiDbContext db, AuditLog audit, TimeProvider clock)
{
    public const int MaxLifetimeHours = 90 * 24;

    /// <summary>How many networks one key may list.</summary>
    public const int MaxNetworks = 32;

    public async Task<CreatedSetupKey> CreateAsync(Guid userId, CreateSetupKeyRequest request, CancellationToken ct)
    {
        var networkIds = request.Networks?.Distinct().ToList() ?? [];
        new Validator()
            .Name("name", request.Name)
            .Range("expiresInHours", request.ExpiresInHours, 1, MaxLifetimeHours)
            .Check(networkIds.Count <= MaxNetworks, "networks", $"at most {MaxNetworks} networks per key (got {networkIds.Count})")
            .ThrowIfInvalid();
        await RequireManagedAsync(userId, networkIds, ct);
        var secret = SecretTokens.Generate(SecretTokens.SetupKeyPrefix);
        var now = clock.GetUtcNow();
        var key = new SetupKey
        {
            Id = Guid.CreateVersion7(now),
            UserId = userId,
            Name = request.Name.Trim(),
            KeyHash = SecretTokens.Hash(secret),
            Prefix = SecretTokens.DisplayPrefix(secret),
            Reusable = request.Reusable,
            CreatedAt = now,
            ExpiresAt = now.AddHours(request.ExpiresInHours),
            Networks = networkIds.Select(n => new SetupKeyNetwork { NetworkId = n }).ToList(),
        };
        db.SetupKeys.Add(key);
        audit.Record(userId, "setup_key.created", "setup_key", key.Id,
            (key.Reusable ? "reusable" : "one-off") + (networkIds.Count == 0 ? "" : $", networks {string.Join(' ', networkIds)}"));
        await db.SaveChangesAsync(ct);
        return new CreatedSetupKey(ToDto(key), secret);
    }

    public async Task<List<SetupKeyDto>> ListMineAsync(Guid userId, CancellationToken ct) =>
        (await db.SetupKeys.AsNoTracking().Include(k => k.Networks).Where(k => k.UserId == userId).AsSplitQuery().ToListAsync(ct))
        .OrderByDescending(k => k.CreatedAt)
        .Select(ToDto)
        .ToList();

    /// <summary>400 with a field error on <c>networks</c> unless the user is an active owner or admin of each.</summary>
    private async Task RequireManagedAsync(Guid userId, List<Guid> networkIds, CancellationToken ct)
    {
        if (networkIds.Count == 0)
        {
            return;
        }

        var managed = await db.Memberships
            .Where(m => m.UserId == userId && m.Status == MemberStatus.Active && (m.Role == MemberRole.Owner || m.Role == MemberRole.Admin)
                && networkIds.Contains(m.NetworkId))
            .Select(m => m.NetworkId)
            .ToListAsync(ct);
        var refused = networkIds.Except(managed).ToList();
        new Validator()
            .Check(refused.Count == 0, "networks", $"you can only add networks you own or administer (not: {string.Join(", ", refused)})")
            .ThrowIfInvalid();
    }

    public async Task RevokeAsync(Guid userId, Guid id, CancellationToken ct)
    {
        var key = await db.SetupKeys.FirstOrDefaultAsync(k => k.Id == id && k.UserId == userId, ct) ?? throw ApiProblemException.NotFound("setup key");
        key.RevokedAt ??= clock.GetUtcNow();
        audit.Record(userId, "setup_key.revoked", "setup_key", key.Id);
        await db.SaveChangesAsync(ct);
    }

    /// <summary>
    /// Uses a presented key for one enrolment: the owning account, or null when the key is unknown,
    /// revoked, expired, or one-off and already used. The use is counted at once by one conditional
    /// UPDATE (<c>… WHERE UsageCount = 0</c> for a one-off key), so of concurrent enrolments with one
    /// one-off key exactly one gets it, on SQLite and PostgreSQL alike. Call it inside the
    /// transaction that saves the device, so a failed enrolment gives the use back.
    /// </summary>
    public async Task<SetupKey?> ConsumeAsync(string presented, CancellationToken ct)
    {
        var hash = SecretTokens.Hash(presented);
        var key = await db.SetupKeys.AsNoTracking().FirstOrDefaultAsync(k => k.KeyHash == hash, ct);
        if (key is null || key.RevokedAt is not null || key.ExpiresAt <= clock.GetUtcNow() || (!key.Reusable && key.UsageCount > 0))
        {
            return null;
        }

        var counted = await db.SetupKeys
            .Where(k => k.Id == key.Id && k.RevokedAt == null && (k.Reusable || k.UsageCount == 0))
            .ExecuteUpdateAsync(u => u.SetProperty(k => k.UsageCount, k => k.UsageCount + 1), ct);
        if (counted == 0)
        {
            return null; // used (one-off) or revoked by a concurrent request since it was read
        }

        key.UsageCount++;
        return key;
    }

    private static SetupKeyDto ToDto(SetupKey k) =>
        new(k.Id, k.Name, k.Prefix, k.Reusable, k.CreatedAt, k.ExpiresAt, k.UsageCount, k.RevokedAt, k.Networks.Select(n => n.NetworkId).ToList());
}
