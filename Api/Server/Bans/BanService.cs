using System.Net;
using HamachiCloud.Api.Audit;
using HamachiCloud.Api.Auth;
using HamachiCloud.Api.Contracts.Bans;
using HamachiCloud.Api.ControlPlane;

namespace HamachiCloud.Api.Bans;

/// <summary>IP-range bans, managed by support staff and admins only.</summary>
internal sealed class BanService(HamachiDbContext db, StaffAccess staff, AuditLog audit, BanList bans, LiveSessions sessions, TimeProvider clock)
{
    public async Task<BanDto> CreateAsync(Guid userId, CreateBanRequest request, CancellationToken ct)
    {
        await RequireStaffAsync(userId);
        new Validator()
            .Cidr("cidr", request.Cidr)
            .Check(!string.IsNullOrWhiteSpace(request.Reason) && request.Reason.Length <= 256, "reason", "is required (at most 256 characters)")
            .Check(request.ExpiresInHours is null or (>= 1 and <= 24 * 3650), "expiresInHours", "must be between 1 and 87600")
            .ThrowIfInvalid();

        var range = IPNetwork.Parse(request.Cidr);
        var now = clock.GetUtcNow();
        var ban = new IpRangeBan
        {
            Id = Guid.CreateVersion7(now),
            Cidr = range.ToString(),
            Reason = request.Reason.Trim(),
            CreatedAt = now,
            ExpiresAt = request.ExpiresInHours is { } h ? now.AddHours(h) : null,
            CreatedById = userId,
        };
        db.IpRangeBans.Add(ban);
        audit.Record(userId, "ban.created", "ban", ban.Id, $"{ban.Cidr}: {ban.Reason}");
        await db.SaveChangesAsync(ct);
        bans.Invalidate();
        sessions.CheckNow(); // live control sessions from the range are dropped now
        return ToDto(ban);
    }

    public async Task<List<BanDto>> ListAsync(Guid userId, CancellationToken ct)
    {
        await RequireStaffAsync(userId);
        return (await db.IpRangeBans.ToListAsync(ct)).OrderByDescending(b => b.CreatedAt).Select(ToDto).ToList();
    }

    public async Task DeleteAsync(Guid userId, Guid id, CancellationToken ct)
    {
        await RequireStaffAsync(userId);
        var ban = await db.IpRangeBans.FirstOrDefaultAsync(b => b.Id == id, ct) ?? throw ApiProblemException.NotFound("ban");
        db.IpRangeBans.Remove(ban);
        audit.Record(userId, "ban.deleted", "ban", ban.Id, ban.Cidr);
        await db.SaveChangesAsync(ct);
        bans.Invalidate();
    }

    private Task RequireStaffAsync(Guid userId) => staff.RequireAsync(userId, "manage bans");

    private static BanDto ToDto(IpRangeBan b) => new(b.Id, b.Cidr, b.Reason, b.CreatedAt, b.ExpiresAt, b.CreatedById);
}
