using System.Net;
using HamachiCloud.Api.Audit;
using HamachiCloud.Api.Auth;
using HamachiCloud.Api.Contracts.Bans;

namespace HamachiCloud.Api.Bans;

/// <summary>
/// Range, account and device bans, managed by support staff and admins only. Every change is audited
/// (<c>ban.created</c>, <c>ban.updated</c>, <c>ban.lifted</c>), bumps the ban's <c>UpdatedAt</c> and goes out on the
/// <see cref="BanBus"/>: every Api node reloads and ends matching live sessions, every relay gets the new list.
/// Lifting keeps the row (with its hit count).
/// </summary>
internal sealed class BanService(
    HamachiDbContext db, StaffAccess staff, AuditLog audit, BanBus bus, TimeProvider clock, Microsoft.Extensions.Options.IOptions<BanOptions> options)
{
    public const int MaxReasonLength = 256;
    public const int MaxNoteLength = 2000;

    /// <param name="caller">The address the request came from (a ban holding it needs the confirmation).</param>
    public async Task<BanDto> CreateAsync(Guid userId, CreateBanRequest request, IPAddress? caller, CancellationToken ct)
    {
        await RequireStaffAsync(userId);
        var v = new Validator().Defined("kind", request.Kind);
        switch (request.Kind)
        {
            case BanTarget.Range:
                v.Cidr("cidr", request.Cidr)
                    .Check(request.UserId is null, "userId", "must be empty for a range ban")
                    .Check(request.DeviceId is null, "deviceId", "must be empty for a range ban");
                break;
            case BanTarget.Account:
                v.Check(request.UserId is { } u && u != Guid.Empty, "userId", "is required for an account ban")
                    .Check(request.Cidr is null, "cidr", "must be empty for an account ban")
                    .Check(request.DeviceId is null, "deviceId", "must be empty for an account ban");
                break;
            case BanTarget.Device:
                v.Check(request.DeviceId is { } d && d != Guid.Empty, "deviceId", "is required for a device ban")
                    .Check(request.Cidr is null, "cidr", "must be empty for a device ban")
                    .Check(request.UserId is null, "userId", "must be empty for a device ban");
                break;
        }

        ValidateCommon(v, request.Reason, request.StaffNote, request.Scope, request.ExemptPaidAccounts, request.ExemptAccountsOlderThanDays, request.Kind)
            .Check(request.ExpiresInHours is null or (>= 1 and <= 24 * 3650), "expiresInHours", "must be between 1 and 87600")
            .ThrowIfInvalid();

        var now = clock.GetUtcNow();
        string target;
        if (request.Kind == BanTarget.Range)
        {
            var range = IPNetwork.Parse(request.Cidr!);
            if (!request.Confirm && await WhyConfirmAsync(range, caller, ct) is { Count: > 0 } reasons)
            {
                throw ApiProblemException.BadRequest(ErrorCodes.BanNeedsConfirmation,
                    $"banning {range} needs a second confirmation (send it again with confirm: true): it {string.Join("; it ", reasons)}");
            }

            target = range.ToString();
        }
        else if (request.Kind == BanTarget.Account)
        {
            var email = await db.Users.Where(u => u.Id == request.UserId).Select(u => u.Email).FirstOrDefaultAsync(ct)
                ?? throw new ApiProblemException(400, ErrorCodes.ValidationFailed, "no such account", new Dictionary<string, string[]> { ["userId"] = ["no such account"] });
            if (request.UserId == userId && !request.Confirm)
            {
                throw ApiProblemException.BadRequest(ErrorCodes.BanNeedsConfirmation,
                    "banning your own account needs a second confirmation (send it again with confirm: true)");
            }

            target = $"account {email}";
        }
        else
        {
            var device = await db.Devices.Where(d => d.Id == request.DeviceId).Select(d => new { d.Name }).FirstOrDefaultAsync(ct)
                ?? throw new ApiProblemException(400, ErrorCodes.ValidationFailed, "no such device", new Dictionary<string, string[]> { ["deviceId"] = ["no such device"] });
            target = $"device {device.Name} ({request.DeviceId})";
        }

        var ban = new HamachiCloud.Data.Entities.Ban
        {
            Id = Guid.CreateVersion7(now),
            Kind = (BanKind)request.Kind,
            Cidr = request.Kind == BanTarget.Range ? target : null,
            UserId = request.UserId,
            DeviceId = request.DeviceId,
            Reason = request.Reason.Trim(),
            StaffNote = string.IsNullOrWhiteSpace(request.StaffNote) ? null : request.StaffNote.Trim(),
            Scope = (BanScope)request.Scope,
            ExemptPaidAccounts = request.ExemptPaidAccounts,
            ExemptAccountsOlderThanDays = request.ExemptAccountsOlderThanDays,
            CreatedAt = now,
            UpdatedAt = now,
            ExpiresAt = request.ExpiresInHours is { } h ? now.AddHours(h) : null,
            CreatedById = userId,
        };
        db.Bans.Add(ban);
        audit.Record(userId, "ban.created", "ban", ban.Id, $"{target} ({ban.Scope}): {ban.Reason}");
        await db.SaveChangesAsync(ct);
        await bus.PublishAsync(); // every node reloads and ends matching live sessions; relays get the new list
        return ToDto(ban, null);
    }

    /// <summary>Every ban, newest first, lifted and expired ones included (with their hit counts).</summary>
    public async Task<List<BanDto>> ListAsync(Guid userId, CancellationToken ct)
    {
        await RequireStaffAsync(userId);
        var bans = await db.Bans.AsNoTracking().ToListAsync(ct);
        var userIds = bans.Where(b => b.UserId is not null).Select(b => b.UserId!.Value).Distinct().ToList();
        var emails = await db.Users.Where(u => userIds.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.Email, ct);
        return bans.OrderByDescending(b => b.CreatedAt)
            .Select(b => ToDto(b, b.UserId is { } u && emails.TryGetValue(u, out var e) ? e : null))
            .ToList();
    }

    public async Task<BanDto> UpdateAsync(Guid userId, Guid id, UpdateBanRequest request, CancellationToken ct)
    {
        await RequireStaffAsync(userId);
        var ban = await db.Bans.FirstOrDefaultAsync(b => b.Id == id, ct) ?? throw ApiProblemException.NotFound("ban");
        var now = clock.GetUtcNow();
        ValidateCommon(new Validator(), request.Reason, request.StaffNote, request.Scope, request.ExemptPaidAccounts, request.ExemptAccountsOlderThanDays, (BanTarget)ban.Kind)
            .Check(request.ExpiresAt is null || request.ExpiresAt > now, "expiresAt", "must be in the future (or empty: until lifted)")
            .Check(ban.LiftedAt is null, "id", "the ban was lifted; ban again instead")
            .ThrowIfInvalid();

        ban.Reason = request.Reason.Trim();
        ban.StaffNote = string.IsNullOrWhiteSpace(request.StaffNote) ? null : request.StaffNote.Trim();
        ban.ExpiresAt = request.ExpiresAt;
        ban.Scope = (BanScope)request.Scope;
        ban.ExemptPaidAccounts = request.ExemptPaidAccounts;
        ban.ExemptAccountsOlderThanDays = request.ExemptAccountsOlderThanDays;
        ban.UpdatedAt = Later(ban.UpdatedAt, now);
        audit.Record(userId, "ban.updated", "ban", ban.Id,
            $"{Describe(ban)} ({ban.Scope}, expires {ban.ExpiresAt?.ToString("u") ?? "never"}): {ban.Reason}");
        await db.SaveChangesAsync(ct);
        await bus.PublishAsync();
        return ToDto(ban, null);
    }

    /// <summary>Lifts the ban: it stops acting everywhere, the row stays (idempotent: lifting a lifted ban changes nothing).</summary>
    public async Task<BanDto> LiftAsync(Guid userId, Guid id, CancellationToken ct)
    {
        await RequireStaffAsync(userId);
        var ban = await db.Bans.FirstOrDefaultAsync(b => b.Id == id, ct) ?? throw ApiProblemException.NotFound("ban");
        if (ban.LiftedAt is null)
        {
            var now = clock.GetUtcNow();
            ban.LiftedAt = now;
            ban.LiftedById = userId;
            ban.UpdatedAt = Later(ban.UpdatedAt, now);
            audit.Record(userId, "ban.lifted", "ban", ban.Id, $"{Describe(ban)}: {ban.Reason}");
            await db.SaveChangesAsync(ct);
            await bus.PublishAsync();
        }

        return ToDto(ban, null);
    }

    /// <summary>What the ban holds, for audit details and the operator's console.</summary>
    public static string Describe(HamachiCloud.Data.Entities.Ban ban) => ban.Kind switch
    {
        BanKind.Account => $"account {ban.UserId}",
        BanKind.Device => $"device {ban.DeviceId}",
        _ => ban.Cidr ?? "",
    };

    /// <summary>The change time that is newer than <paramref name="previous"/> even when the clock did not move (nodes compare it).</summary>
    public static DateTimeOffset Later(DateTimeOffset previous, DateTimeOffset now) => now > previous ? now : previous.AddTicks(1);

    private static Validator ValidateCommon(Validator v, string? reason, string? note, BanScopes scope, bool exemptPaid, int? exemptDays, BanTarget kind) =>
        v.Check(!string.IsNullOrWhiteSpace(reason) && reason.Length <= MaxReasonLength, "reason", $"is required (at most {MaxReasonLength} characters)")
            .Check(note is null || note.Length <= MaxNoteLength, "staffNote", $"at most {MaxNoteLength} characters")
            .Check(scope != BanScopes.None && (scope & ~BanScopes.All) == 0, "scope", "must name at least one of sign-in-and-api, control, relays")
            .Check(exemptDays is null or (>= 1 and <= 3650), "exemptAccountsOlderThanDays", "must be between 1 and 3650")
            .Check(kind == BanTarget.Range || (!exemptPaid && exemptDays is null), "exemptPaidAccounts", "exemptions apply to range bans only");

    /// <summary>What makes this range dangerous enough to ask again: its width, the caller inside it, a relay inside it.</summary>
    private async Task<List<string>> WhyConfirmAsync(IPNetwork range, IPAddress? caller, CancellationToken ct)
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

    private static BanDto ToDto(HamachiCloud.Data.Entities.Ban b, string? email) => new(
        b.Id, b.Cidr, b.Reason, b.CreatedAt, b.ExpiresAt, b.CreatedById, (BanTarget)b.Kind, b.UserId, b.DeviceId, b.StaffNote, (BanScopes)b.Scope,
        b.ExemptPaidAccounts, b.ExemptAccountsOlderThanDays, b.HitCount, b.LastHitAt, b.LiftedAt, b.LiftedById, b.UpdatedAt, email);
}
