using System.Net;
using HamachiCloud.Api.Audit;
using HamachiCloud.Api.SignIn;
using Microsoft.Extensions.Options;

namespace HamachiCloud.Api.RateLimiting;

/// <summary>
/// The sign-in lockout, shared by every Api node (<see cref="IRateCounter"/>): <see cref="RateLimitOptions.LockoutFailures"/>
/// wrong passwords for one email within <see cref="RateLimitOptions.LockoutMinutes"/> lock it for that long. Keyed by the
/// normalized email, so an email without an account locks exactly like one with an account (same answer, same time).
/// A locked account still signs in from an address it signed in from before (<see cref="SignInThrottleOptions.FamiliarAddressDays"/>,
/// remembered in the same counters), so a stranger's guessing keeps the owner at home in; nothing here touches
/// tokens or sessions. The first lock of a real account is audited as <c>account.locked_out</c>.
/// </summary>
internal sealed class AccountLockout(
    IRateCounter counter,
    IOptions<RateLimitOptions> limits,
    IOptions<SignInThrottleOptions> throttle,
    RateLimitRefusals refusals,
    AuditLog audit,
    HamachiDbContext db,
    TimeProvider clock,
    ILogger<AccountLockout> log)
{
    public const string Limit = "sign-in-lockout";

    /// <summary>How long the account key stays locked for a sign-in from <paramref name="address"/> (zero: not locked).</summary>
    public async ValueTask<TimeSpan> LockedForAsync(string accountKey, IPAddress? address, CancellationToken ct)
    {
        var locked = await counter.PeekAsync(LockKey(accountKey), ct);
        if (locked.Count == 0 || await IsFamiliarAsync(accountKey, address, ct))
        {
            return TimeSpan.Zero;
        }

        refusals.Count(Limit, RateLimits.AddressKey(address), locked.EndsIn);
        return locked.EndsIn;
    }

    /// <summary>Counts a wrong password; the failure that reaches the limit locks the account key (and audits it for a real <paramref name="user"/>).</summary>
    public async ValueTask FailedAsync(string accountKey, User? user, CancellationToken ct)
    {
        var o = limits.Value;
        var window = TimeSpan.FromMinutes(o.LockoutMinutes);
        var failures = await counter.HitAsync(FailureKey(accountKey), window, ct);
        if (failures.Count < o.LockoutFailures)
        {
            return;
        }

        var locked = await counter.HitAsync(LockKey(accountKey), window, ct);
        await counter.ResetAsync(FailureKey(accountKey), ct);
        if (locked.Count != 1)
        {
            return; // already locked (failures from familiar addresses go on counting)
        }

        var until = clock.GetUtcNow() + locked.EndsIn;
        log.LogWarning("sign-in locked for {Account} until {Until:u} after {Failures} wrong passwords", user?.Id.ToString() ?? "an unknown email", until, o.LockoutFailures);
        if (user is not null)
        {
            audit.Record(null, "account.locked_out", "user", user.Id,
                $"{o.LockoutFailures} wrong passwords within {o.LockoutMinutes} min; password sign-in from new addresses refused until {until:yyyy-MM-dd HH:mm:ss} UTC");
            await db.SaveChangesAsync(ct);
        }
    }

    /// <summary>A right password: the failures are forgotten and the address becomes familiar to the account.</summary>
    public async ValueTask SucceededAsync(string accountKey, IPAddress? address, CancellationToken ct)
    {
        await counter.ResetAsync(FailureKey(accountKey), ct);
        if (throttle.Value.FamiliarAddressDays > 0)
        {
            await counter.HitAsync(FamiliarKey(accountKey, address), TimeSpan.FromDays(throttle.Value.FamiliarAddressDays), ct);
        }
    }

    /// <summary>How long the lock of <paramref name="accountKey"/> still lasts, wherever from (null: not locked).</summary>
    public async ValueTask<TimeSpan?> LockRemainingAsync(string accountKey, CancellationToken ct)
    {
        var locked = await counter.PeekAsync(LockKey(accountKey), ct);
        return locked.Count == 0 ? null : locked.EndsIn;
    }

    private async ValueTask<bool> IsFamiliarAsync(string accountKey, IPAddress? address, CancellationToken ct) =>
        throttle.Value.FamiliarAddressDays > 0 && (await counter.PeekAsync(FamiliarKey(accountKey, address), ct)).Count > 0;

    // Emails are stored hashed (SHA-256) in the counters' keys, never in clear.
    private static string LockKey(string accountKey) => "lockout:" + Auth.SecretTokens.Hash(accountKey);

    private static string FailureKey(string accountKey) => "lockout-failures:" + Auth.SecretTokens.Hash(accountKey);

    private static string FamiliarKey(string accountKey, IPAddress? address) =>
        "familiar:" + Auth.SecretTokens.Hash(accountKey + "|" + RateLimits.AddressKey(address));
}
