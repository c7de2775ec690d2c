using HamachiCloud.Api.Accounts;
using HamachiCloud.Api.Identity;
using HamachiCloud.Api.Mail;
using Microsoft.Extensions.Options;

namespace HamachiCloud.Api.Members;

/// <summary>
/// Join-approval notifications by email, a premium feature (a plan with <see cref="Plan.PremiumFeatures"/> in force on
/// the network when the mail is sent): a request to join reaches the network's owner and admins, and the decision
/// reaches the one who asked. Sent from Hangfire jobs queued by <see cref="MemberService"/>, so a slow or failing mail
/// server never holds up a join; a delivery failure throws and Hangfire retries. Scoped.
/// </summary>
internal sealed class MemberMails(HamachiDbContext db, MailSender sender, IOptions<IdentityServerOptions> identity)
{
    private readonly string _portal = identity.Value.PortalUrl;

    public async Task SendJoinRequestedAsync(Guid networkId, Guid requesterId, CancellationToken ct)
    {
        var network = await LoadAsync(networkId, ct);
        var request = network?.Memberships.FirstOrDefault(m => m.UserId == requesterId);
        if (network is null || request?.Status != MemberStatus.Pending || !network.Plan!.PremiumFeatures)
        {
            return; // decided or withdrawn meanwhile, or the plan has no notifications
        }

        var who = Describe(request.User!);
        foreach (var manager in network.Memberships.Where(m => m.Status == MemberStatus.Active && m.Role is MemberRole.Owner or MemberRole.Admin))
        {
            await sender.SendAsync(AccountMails.Compose(
                manager.User!.Email!,
                $"Join request for {network.Name}",
                $"Hello {manager.User.DisplayName},",
                $"{who} asks to join your network {network.Name} ({network.NetworkId}). Approve or reject the request on the network's page:",
                $"{_portal}/networks/{network.Id}",
                "Review the request",
                "You get this mail because you own or manage the network."), ct);
        }
    }

    public async Task SendJoinDecidedAsync(Guid networkId, Guid memberId, bool approved, CancellationToken ct)
    {
        var network = await LoadAsync(networkId, ct);
        var member = network?.Memberships.FirstOrDefault(m => m.UserId == memberId);
        var expected = approved ? MemberStatus.Active : MemberStatus.Rejected;
        if (network is null || member?.Status != expected || !network.Plan!.PremiumFeatures)
        {
            return; // changed again meanwhile, or the plan has no notifications
        }

        await sender.SendAsync(AccountMails.Compose(
            member.User!.Email!,
            approved ? $"You joined {network.Name}" : $"Request to join {network.Name} declined",
            $"Hello {member.User.DisplayName},",
            approved
                ? $"your request to join {network.Name} ({network.NetworkId}) was approved. Your devices reach its members now."
                : $"your request to join {network.Name} ({network.NetworkId}) was declined by its owner.",
            $"{_portal}/networks",
            "Open my networks",
            "You get this mail because you asked to join the network."), ct);
    }

    private Task<Network?> LoadAsync(Guid networkId, CancellationToken ct) =>
        db.Networks.AsNoTracking().Include(n => n.Plan).Include(n => n.Memberships).ThenInclude(m => m.User)
            .SingleOrDefaultAsync(n => n.Id == networkId, ct);

    private static string Describe(User user) => string.IsNullOrWhiteSpace(user.DisplayName) ? user.Email! : $"{user.DisplayName} ({user.Email})";
}
