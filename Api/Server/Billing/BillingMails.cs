using HamachiCloud.Api.Accounts;
using HamachiCloud.Api.Identity;
using HamachiCloud.Api.Mail;
using Microsoft.Extensions.Options;

namespace HamachiCloud.Api.Billing;

/// <summary>
/// The billing mails, sent from Hangfire jobs through <see cref="MailSender"/>: a payment failed
/// (queued by the webhook), a renewal is coming (<see cref="Jobs.BillingJobs"/>). Each links to the
/// Portal's billing page. A delivery failure throws, so Hangfire retries the job. Scoped.
/// </summary>
internal sealed class BillingMails(HamachiDbContext db, MailSender sender, IOptions<IdentityServerOptions> identity)
{
    private readonly HamachiDbContext _db = db;
    private readonly MailSender _sender = sender;
    private readonly string _billingUrl = identity.Value.PortalUrl + BillingService.BillingPath;

    public async Task SendPaymentFailedAsync(Guid subscriptionId, CancellationToken ct)
    {
        var s = await LoadAsync(subscriptionId, ct);
        if (s is null || s.Status != SubscriptionStatus.PastDue)
        {
            return; // paid meanwhile, or gone
        }

        await _sender.SendAsync(AccountMails.Compose(
            s.User!.Email!,
            $"Payment failed for your HamachiCloud {s.Plan!.Name} plan",
            $"Hello {s.User.DisplayName},",
            $"the payment for your {s.Plan.Name} plan{For(s)} did not go through. The plan stays in force until {s.GraceEndsAt:yyyy-MM-dd HH:mm} UTC; " +
            "please update your card before then so nothing changes for your network's members.",
            _billingUrl,
            "Update payment method",
            "Nothing is deleted if the plan lapses: members over the Free limit become inactive until you upgrade again."), ct);
    }

    public async Task SendRenewalReminderAsync(Subscription s, CancellationToken ct) =>
        await _sender.SendAsync(AccountMails.Compose(
            s.User!.Email!,
            $"Your HamachiCloud {s.Plan!.Name} plan renews on {s.EndsAt:yyyy-MM-dd}",
            $"Hello {s.User.DisplayName},",
            $"your {s.BillingPeriod ?? ""} {s.Plan.Name} plan{For(s)} renews automatically on {s.EndsAt:yyyy-MM-dd}. " +
            "To change the plan or the card, or to cancel, open your billing page:",
            _billingUrl,
            "Manage billing",
            "No action is needed to keep the plan."), ct);

    private Task<Subscription?> LoadAsync(Guid id, CancellationToken ct) =>
        _db.Subscriptions.AsNoTracking().Include(s => s.User).Include(s => s.Plan).Include(s => s.Network).SingleOrDefaultAsync(s => s.Id == id, ct);

    private static string For(Subscription s) => s.Network is { } n ? $" for network {n.Name} ({n.NetworkId})" : "";
}
