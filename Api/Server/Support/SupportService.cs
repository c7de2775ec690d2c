using System.Net;
using HamachiCloud.Api.Audit;
using HamachiCloud.Api.Auth;
using HamachiCloud.Api.Contracts.Audit;
using HamachiCloud.Api.Contracts.Support;
using HamachiCloud.Api.ControlPlane;
using HamachiCloud.Api.Devices;
using HamachiCloud.Api.Sessions;
using Microsoft.AspNetCore.Identity;

namespace HamachiCloud.Api.Support;

/// <summary>
/// The support console's account page and actions (support staff and admins only, checked first by
/// <see cref="StaffAccess"/>; every action needs a reason and is in the audit log as "support.*" with the staff
/// member as actor). Disabling an account refuses its sign-ins (<see cref="Identity.HamachiSignInManager"/>), its
/// tokens (<see cref="AccountEnabledHandler"/>) and its agents (hub login and <see cref="SessionEnforcer"/>), and
/// ends its sessions at once.
/// </summary>
internal sealed class SupportService(
    HamachiDbContext db,
    StaffAccess staff,
    AuditLog audit,
    UserManager<User> users,
    SessionService sessions,
    DeviceService devices,
    LiveSessions live,
    TimeProvider clock)
{
    public const int MaxReasonLength = 256;
    public const int SignInsShown = 20;

    public static readonly string[] SignInActions = [SignInAudit.SignedIn, SignInAudit.SignInFailed];

    public async Task<SupportAccountDto> GetAccountAsync(Guid staffId, Guid id, CancellationToken ct)
    {
        await staff.RequireAsync(staffId, "look up accounts");
        return await DescribeAsync(id, ct);
    }

    public async Task<SupportAccountDto> DisableAsync(Guid staffId, Guid id, SupportActionRequest request, CancellationToken ct)
    {
        await staff.RequireAsync(staffId, "disable accounts");
        var reason = RequireReason(request);
        var user = await LoadAsync(id);
        if (user.Id == staffId)
        {
            throw ApiProblemException.BadRequest(ErrorCodes.ValidationFailed, "staff cannot disable their own account");
        }

        user.DisabledAt = clock.GetUtcNow();
        user.DisabledReason = reason;
        await users.UpdateAsync(user);
        await users.UpdateSecurityStampAsync(user); // the Api's sign-in cookie stops at its next validation
        audit.Record(staffId, "support.account_disabled", "user", user.Id, reason);
        await db.SaveChangesAsync(ct);
        await sessions.RevokeAllAsync(user.Id, $"account disabled by support: {reason}", ct);
        live.CheckNow(); // its agents' control sessions on this node end now; other nodes at their next check
        return await DescribeAsync(id, ct);
    }

    public async Task<SupportAccountDto> EnableAsync(Guid staffId, Guid id, SupportActionRequest request, CancellationToken ct)
    {
        await staff.RequireAsync(staffId, "re-enable accounts");
        var reason = RequireReason(request);
        var user = await LoadAsync(id);
        user.DisabledAt = null;
        user.DisabledReason = null;
        await users.UpdateAsync(user);
        audit.Record(staffId, "support.account_enabled", "user", user.Id, reason);
        await db.SaveChangesAsync(ct);
        return await DescribeAsync(id, ct);
    }

    public async Task<SupportAccountDto> EndSessionsAsync(Guid staffId, Guid id, SupportActionRequest request, CancellationToken ct)
    {
        await staff.RequireAsync(staffId, "end sessions");
        var reason = RequireReason(request);
        var user = await LoadAsync(id);
        await users.UpdateSecurityStampAsync(user);
        var ended = await sessions.RevokeAllAsync(user.Id, $"ended by support: {reason}", ct);
        audit.Record(staffId, "support.sessions_ended", "user", user.Id, $"{ended} sessions: {reason}");
        await db.SaveChangesAsync(ct);
        return await DescribeAsync(id, ct);
    }

    public async Task RevokeDeviceAsync(Guid staffId, Guid deviceId, SupportActionRequest request, CancellationToken ct)
    {
        await staff.RequireAsync(staffId, "revoke devices");
        var reason = RequireReason(request);
        var device = await db.Devices.AsNoTracking().FirstOrDefaultAsync(d => d.Id == deviceId, ct) ?? throw ApiProblemException.NotFound("device");
        audit.Record(staffId, "support.device_revoked", "device", device.Id, $"{device.Name} {device.VirtualIPv4} of account {device.UserId}: {reason}");
        await devices.DeleteAsync(device.UserId, device.Id, ct);
    }

    private async Task<SupportAccountDto> DescribeAsync(Guid id, CancellationToken ct)
    {
        var user = await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Id == id, ct) ?? throw ApiProblemException.NotFound("account");
        var roles = await users.GetRolesAsync(user);
        var plans = await db.Subscriptions.AsNoTracking()
            .Where(s => s.UserId == id && s.Status != SubscriptionStatus.Ended)
            .OrderByDescending(s => s.StartedAt)
            .Select(s => new SupportSubscriptionDto(s.Id, s.PlanId, s.Source.ToString(), s.Status.ToString(), s.NetworkId, s.EndsAt))
            .ToListAsync(ct);
        var memberships = await db.Memberships.AsNoTracking().Where(m => m.UserId == id)
            .Select(m => new { m.NetworkId, m.Role, m.Status }).ToListAsync(ct);
        var networkIds = memberships.Select(m => m.NetworkId).ToList();
        var networks = (await SupportSearch.NetworkHits(db.Networks.AsNoTracking().Where(n => n.OwnerId == id || networkIds.Contains(n.Id)).OrderBy(n => n.Name))
                .ToListAsync(ct))
            .Select(n => memberships.FirstOrDefault(m => m.NetworkId == n.Id) is { } m ? n with { Role = $"{m.Role} ({m.Status})" } : n with { Role = "Owner" })
            .ToList();
        var deviceHits = await SupportSearch.DeviceHits(db.Devices.AsNoTracking().Where(d => d.UserId == id).OrderBy(d => d.Name)).ToListAsync(ct);
        var signIns = await AuditQueries.ToDtos(db.AuditEvents.AsNoTracking()
                .Where(e => SignInActions.Contains(e.Action) && e.TargetType == "user" && e.TargetId == id.ToString())
                .OrderByDescending(e => e.At).ThenByDescending(e => e.Id).Take(SignInsShown), db)
            .ToListAsync(ct);
        var bans = await BansTouchingAsync(id, deviceHits.Select(d => d.Id).ToList(), signIns, ct);
        var hit = new SupportAccountHit(user.Id, user.Email ?? "", user.DisplayName, user.CreatedAt, user.DisabledAt);
        return new SupportAccountDto(hit, user.DisabledReason, user.EmailConfirmed, user.TwoFactorEnabled, [.. roles], plans, networks, deviceHits, signIns, bans);
    }

    /// <summary>The account's own bans, its devices' bans, and the range bans covering an address it recently signed in from.</summary>
    private async Task<List<SupportBanDto>> BansTouchingAsync(Guid userId, List<Guid> deviceIds, IReadOnlyList<AuditEventDto> signIns, CancellationToken ct)
    {
        var direct = await db.Bans.AsNoTracking()
            .Where(b => b.UserId == userId || (b.DeviceId != null && deviceIds.Contains(b.DeviceId.Value)))
            .ToListAsync(ct);
        var result = direct.Select(b => ToDto(b, b.UserId == userId ? "this account" : $"device {b.DeviceId}")).ToList();

        var addresses = signIns.Select(s => s.IpAddress).Where(a => a is not null).Distinct()
            .Select(a => IPAddress.TryParse(a, out var ip) ? ip : null).OfType<IPAddress>().ToList();
        if (addresses.Count > 0)
        {
            var ranges = await db.Bans.AsNoTracking().Where(b => b.Kind == BanKind.Range && b.Cidr != null).ToListAsync(ct);
            foreach (var ban in ranges)
            {
                if (IPNetwork.TryParse(ban.Cidr, out var range) && addresses.FirstOrDefault(range.Contains) is { } covered)
                {
                    result.Add(ToDto(ban, $"covers {covered}, an address it signed in from"));
                }
            }
        }

        return [.. result.OrderByDescending(b => b.CreatedAt)];
    }

    private static SupportBanDto ToDto(Ban b, string why) =>
        new(b.Id, b.Kind.ToString(), b.Cidr, b.Reason, b.StaffNote, b.CreatedAt, b.ExpiresAt, b.LiftedAt, b.HitCount, why);

    private async Task<User> LoadAsync(Guid id) =>
        await users.FindByIdAsync(id.ToString()) ?? throw ApiProblemException.NotFound("account");

    private static string RequireReason(SupportActionRequest? request)
    {
        var reason = request?.Reason?.Trim();
        new Validator().Check(!string.IsNullOrEmpty(reason) && reason.Length <= MaxReasonLength && !reason.Any(char.IsControl),
            "reason", $"is required (at most {MaxReasonLength} characters, no control characters)").ThrowIfInvalid();
        return reason!;
    }
}
