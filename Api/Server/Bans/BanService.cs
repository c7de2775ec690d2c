using System.Net;
using HamachiCloud.Api.Audit;
using HamachiCloud.Api.Auth;
using HamachiCloud.Api.Contracts.Bans;
using HamachiCloud.Api.ControlPlane;

namespace HamachiCloud.Api.Bans;

/// <summary>IP-range bans, managed by support staff and admins only.</summary>
internal sealed class BanService(
    HamachiDbContext db, StaffAccess staff, AuditLog audit, BanList bans, LiveSessions sessions, TimeProvider clock, Microsoft.Extensions.Options.IOptions<BanOptions> options)
{
    /// <param name="caller">The address the request came from (a ban holding it needs the confirmation).</param>
    public async Task<BanDto> CreateAsync(Guid userId, CreateBanRequest request, IPAddress? caller, CancellationToken ct)
    {
        await RequireStaffAsync(userId);
        new Validator()
            .Cidr("cidr", request.Cidr)
            .Check(!string.IsNullOrWhiteSpace(request.Reason) && request.Reason.Length <= 256, "reason", "is required (at most 256 characters)")
            .Check(request.ExpiresInHours is null or (>= 1 and <= 24 * 3650), "expiresInHours", "must be between 1 and 87600")
            .ThrowIfInvalid();

        var range = IPNetwork.Parse(request.Cidr);
        var now = clock.GetUtcNow();
        if (!request.Confirm && await WhyConfirmAsync(range, caller, now, ct) is { Count: > 0 } reasons)
        {
            throw ApiProblemException.BadRequest(ErrorCodes.BanNeedsConfirmation,
                $"banning {range} needs a second confirmation (send it again with confirm: true): it {string.Join("; it ", reasons)}");
        }

        var ban = new HamachiCloud.Data.Entities.Ban
        {
            Id = Guid.CreateVersion7(now),
            Cidr = range.ToString(),
            Reason = request.Reason.Trim(),
            CreatedAt = now,
            UpdatedAt = now,
            ExpiresAt = request.ExpiresInHours is { } h ? now.AddHours(h) : null,
            CreatedById = userId,
        };
        db.Bans.Add(ban);
        audit.Record(userId, "ban.created", "ban", ban.Id, $"{ban.Cidr}: {ban.Reason}");
        await db.SaveChangesAsync(ct);
        bans.Invalidate();
        sessions.CheckNow(); // live control sessions from the range are dropped now
        return ToDto(ban);
    }

    public async Task<List<BanDto>> ListAsync(Guid userId, CancellationToken ct)
    {
        await RequireStaffAsync(userId);
        return (await db.Bans.ToListAsync(ct)).OrderByDescending(b => b.CreatedAt).Select(ToDto).ToList();
    }

    public async Task DeleteAsync(Guid userId, Guid id, CancellationToken ct)
    {
        await RequireStaffAsync(userId);
        var ban = await db.Bans.FirstOrDefaultAsync(b => b.Id == id, ct) ?? throw ApiProblemException.NotFound("ban");
        db.Bans.Remove(ban);
        audit.Record(userId, "ban.deleted", "ban", ban.Id, ban.Cidr);
        await db.SaveChangesAsync(ct);
        bans.Invalidate();
    }

    /// <summary>What makes this range dangerous enough to ask again: its width, the caller inside it, a relay inside it.</summary>
    private async Task<List<string>> WhyConfirmAsync(IPNetwork range, IPAddress? caller, DateTimeOffset now, CancellationToken ct)
    {
        var reasons = new List<string>();
        var widest = range.BaseAddress.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork
            ? options.Value.WidestIPv4PrefixLength
            : options.Value.WidestIPv6PrefixLength;
        if (range.PrefixLength < widest)
        {
            var family = range.BaseAddress.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? "IPv4" : "IPv6";
            reasons.Add($"is wider than a /{widest} (Bans:Widest{family}PrefixLength)");
        }

        if (caller is not null && BanList.Contains(range, caller))
        {
            reasons.Add($"holds your own address {caller}");
        }

        foreach (var name in (await Relays.RelayDirectory.AddressesAsync(db, ct)).Where(r => BanList.Contains(range, r.Address)).Select(r => r.Name).Distinct())
        {
            reasons.Add($"holds relay {name}");
        }

        return reasons;
    }

    private Task RequireStaffAsync(Guid userId) => staff.RequireAsync(userId, "manage bans");

    private static BanDto ToDto(HamachiCloud.Data.Entities.Ban b) => new(b.Id, b.Cidr ?? "", b.Reason, b.CreatedAt, b.ExpiresAt, b.CreatedById);
}
