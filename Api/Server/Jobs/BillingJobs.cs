using HamachiCloud.Api.Audit;
using HamachiCloud.Api.Billing;
using HamachiCloud.Api.Plans;
using Microsoft.Extensions.Options;

namespace HamachiCloud.Api.Jobs;

/// <summary>
/// Recurring billing work run by Hangfire: subscriptions and grants whose end or grace has passed
/// become <see cref="SubscriptionStatus.Ended"/> (then the owners' plans are recomputed through
/// <see cref="PlanChanges"/>), and renewal reminders go out <c>Billing:RenewalReminderDays</c> before
/// an automatic renewal (once per period: the audit event <c>billing.renewal_reminder_sent</c> marks it).
/// There is no relay-usage roll-up: the relays do not report traffic per account yet.
/// </summary>
internal sealed class BillingJobs(
    HamachiDbContext db, PlanChanges plans, AuditLog audit, BillingMails mails, IOptions<BillingOptions> options, TimeProvider clock, ILogger<BillingJobs> log)
{
    public const string ExpireJobId = "billing-expire";
    public const string RemindJobId = "billing-renewal-reminders";
    public const string ReminderSentAction = "billing.renewal_reminder_sent";

    /// <summary>Ends what is over and recomputes the owners' plans. Returns how many subscriptions ended.</summary>
    public async Task<int> ExpireAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var over = (await db.Subscriptions
            .Where(s => s.Status != SubscriptionStatus.Ended
                && ((s.EndsAt != null && s.EndsAt <= now) || (s.Status == SubscriptionStatus.PastDue && s.GraceEndsAt != null && s.GraceEndsAt <= now)))
            .ToListAsync(ct))
            .Where(s => !Plans.PlanChanges.IsLive(s, now)) // an auto-renewing subscription waits for its renewal webhook
            .ToList();
        foreach (var s in over)
        {
            var why = s.EndsAt <= now ? $"ended {s.EndsAt:u}" : $"grace ended {s.GraceEndsAt:u}";
            s.Status = SubscriptionStatus.Ended;
            s.UpdatedAt = now;
            audit.Record(null, "billing.subscription_expired", "subscription", s.Id, $"{s.PlanId} {s.Source}: {why}");
        }

        await db.SaveChangesAsync(ct);
        foreach (var owner in over.Select(s => s.UserId).Distinct())
        {
            await plans.ApplyAsync(owner, ct);
        }

        if (over.Count > 0)
        {
            log.LogInformation("billing: {Count} subscriptions ended", over.Count);
        }

        return over.Count;
    }

    /// <summary>Mails the owners of bought subscriptions that renew within the reminder window, once per period. Returns how many were sent.</summary>
    public async Task<int> SendRenewalRemindersAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var until = now.AddDays(options.Value.RenewalReminderDays);
        var renewing = await db.Subscriptions.Include(s => s.User).Include(s => s.Plan).Include(s => s.Network)
            .Where(s => s.Source == SubscriptionSource.Stripe && s.Status == SubscriptionStatus.Active && !s.CancelAtPeriodEnd
                && s.EndsAt != null && s.EndsAt > now && s.EndsAt <= until)
            .ToListAsync(ct);
        var sent = 0;
        foreach (var s in renewing)
        {
            var marker = $"{s.EndsAt:u}";
            var id = s.Id.ToString();
            if (await db.AuditEvents.AnyAsync(a => a.Action == ReminderSentAction && a.TargetId == id && a.Details == marker, ct))
            {
                continue;
            }

            await mails.SendRenewalReminderAsync(s, ct);
            audit.Record(null, ReminderSentAction, "subscription", s.Id, marker);
            await db.SaveChangesAsync(ct);
            sent++;
        }

        return sent;
    }
}
