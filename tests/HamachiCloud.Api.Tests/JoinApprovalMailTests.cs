using HamachiCloud.Api.Contracts.Networks;
using HamachiCloud.Api.Contracts.Plans;
using HamachiCloud.Data.Entities;
using HamachiCloud.Migrations;
using HamachiCloud.Protocol.Networks;

namespace HamachiCloud.Api.Tests;

/// <summary>
/// Join-approval notifications by email (a premium feature): on a Premium network a request reaches the owner and
/// the decision reaches the one who asked; on a Free network the workflow works the same but sends no mail.
/// </summary>
public sealed class JoinApprovalMailTests
{
    [Fact]
    public async Task A_Premium_network_mails_the_request_to_its_owner_and_the_decision_to_the_member_a_Free_one_mails_nothing()
    {
        await using var f = await ApiFactory.CreateAsync(DatabaseProvider.Sqlite);
        var owner = await TestUser.CreateAsync(f, "owner");
        var staff = await TestUser.CreateStaffAsync(f);
        var asker = await TestUser.CreateAsync(f, "asker");
        var declined = await TestUser.CreateAsync(f, "declined");

        var free = await owner.Client.CreateNetworkAsync(new CreateNetworkRequest("free club", JoinPolicy: JoinPolicy.Approval));
        var premium = await owner.Client.CreateNetworkAsync(new CreateNetworkRequest("paid club", JoinPolicy: JoinPolicy.Approval));
        await staff.Client.GrantPlanAsync(new GrantPlanRequest(Plan.PremiumId, "mail test", 30, NetworkId: premium.Id));

        await asker.Client.JoinNetworkAsync(new JoinNetworkRequest(free.NetworkId));
        await owner.Client.ApproveMemberAsync(free.Id, asker.Id);

        await asker.Client.JoinNetworkAsync(new JoinNetworkRequest(premium.NetworkId));
        var request = await TestMails.WaitForAsync(f, owner.Email, "Join request for paid club");
        Assert.Contains($"/networks/{premium.Id}", request, StringComparison.Ordinal); // the link to approve
        await owner.Client.ApproveMemberAsync(premium.Id, asker.Id);
        await TestMails.WaitForAsync(f, asker.Email, "You joined paid club");

        await declined.Client.JoinNetworkAsync(new JoinNetworkRequest(premium.NetworkId));
        await TestMails.WaitForAsync(f, owner.Email, "Join request for paid club");
        await owner.Client.RejectMemberAsync(premium.Id, declined.Id);
        await TestMails.WaitForAsync(f, declined.Email, "Request to join paid club declined");

        // The Free network's jobs ran before the Premium ones (the same queue, in order): they sent nothing.
        Assert.False(TestMails.Any(f, owner.Email, "free club"));
        Assert.False(TestMails.Any(f, asker.Email, "free club"));
    }
}
