using System.Net;
using Bunit;
using HamachiCloud.Api.Contracts.Accounts;
using HamachiCloud.Api.Contracts.Audit;
using HamachiCloud.Api.Contracts.Networks;
using HamachiCloud.Api.Contracts.Plans;
using HamachiCloud.Api.Contracts.Support;
using HamachiCloud.Portal.Components.Audit;
using HamachiCloud.Portal.Components.Support;
using Microsoft.AspNetCore.Components;

namespace HamachiCloud.Portal.Tests.SupportConsole;

/// <summary>
/// The support console's pages: refused to non-staff (the page says 403 and asks nothing else of the Api), actions
/// need a reason before anything is sent, the audit page's filters reach the Api and its CSV becomes a download.
/// </summary>
public sealed class SupportConsoleTests : QueuedApiTestContext
{
    private static readonly DateTimeOffset Now = new(2026, 12, 3, 12, 0, 0, TimeSpan.Zero);
    private static readonly Guid CustomerId = Guid.Parse("00000000-0000-0000-0000-0000000000c1");

    private static AccountDto Me(params string[] roles) =>
        new(Guid.NewGuid(), "me@example.test", "Me", roles, "Free", 0, 256, Now);

    private static SupportAccountDto Account(DateTimeOffset? disabledAt = null, string? reason = null) =>
        new(new SupportAccountHit(CustomerId, "customer@example.test", "Customer", Now.AddDays(-9), disabledAt), reason, true, false, [], [], [], [],
            [new AuditEventDto(1, Now, CustomerId, "customer@example.test", "account.signed_in", "user", CustomerId.ToString(), null, "203.0.113.7", "password")],
            []);

    [Fact]
    public void A_non_staff_user_sees_403_and_the_search_is_not_rendered()
    {
        Api.Answer(HttpStatusCode.OK, Me());
        var cut = Render<StaffOnly>(p => p.AddChildContent("<p data-testid='secret'>console</p>"));
        cut.WaitForAssertion(() => Assert.Contains("403", cut.Find("[data-testid=staff-only]").TextContent, StringComparison.Ordinal));
        Assert.Empty(cut.FindAll("[data-testid=secret]"));
        Assert.Single(Api.Requests);
    }

    [Fact]
    public void Staff_see_the_content()
    {
        Api.Answer(HttpStatusCode.OK, Me("support"));
        var cut = Render<StaffOnly>(p => p.AddChildContent("<p data-testid='secret'>console</p>"));
        cut.WaitForAssertion(() => Assert.Single(cut.FindAll("[data-testid=secret]")));
        Assert.Empty(cut.FindAll("[data-testid=staff-only]"));
    }

    [Fact]
    public void Disabling_needs_a_reason_then_posts_it_and_shows_the_account_disabled()
    {
        Api.Answer(HttpStatusCode.OK, Account());
        Api.Answer(HttpStatusCode.OK, new List<GrantDto>());
        var cut = Render<SupportAccountPanel>(p => p.Add(x => x.Id, CustomerId));
        cut.WaitForAssertion(() => Assert.Contains("203.0.113.7", cut.Markup, StringComparison.Ordinal));

        cut.Find("[data-testid=disable-account]").Click();
        cut.WaitForAssertion(() => Assert.Contains("Type the reason first", cut.Markup, StringComparison.Ordinal));
        Assert.Equal(2, Api.Requests.Count); // nothing sent

        Api.Answer(HttpStatusCode.OK, Account(Now, "spam"));
        cut.Find("input[data-testid=action-reason]").Change("spam");
        cut.Find("[data-testid=disable-account]").Click();
        cut.WaitForAssertion(() => Assert.Contains("disabled", cut.Find("[data-testid=account-state]").TextContent, StringComparison.Ordinal));
        var post = Api.Requests[2];
        Assert.Equal((HttpMethod.Post, $"/api/v1/support/accounts/{CustomerId}/disable"), (post.Method, post.Path));
        Assert.Contains("\"reason\":\"spam\"", post.Body, StringComparison.Ordinal);
        Assert.Single(cut.FindAll("[data-testid=enable-account]"));
    }

    [Fact]
    public void The_audit_page_lists_events_and_offers_the_csv_as_a_download()
    {
        Api.Answer(HttpStatusCode.OK, new List<NetworkDto>());
        Api.Answer(HttpStatusCode.OK, new AuditPageDto(
            [new AuditEventDto(7, Now, CustomerId, "customer@example.test", "member.evicted", "network", "n1", null, "198.51.100.4", "member x")], 1, 1, 50));
        var cut = Render<AuditLogPanel>();
        cut.WaitForAssertion(() => Assert.Single(cut.FindAll("[data-action='member.evicted']")));
        Assert.Equal("/api/v1/audit", Api.Requests[1].Path);

        const string csv = "id,at,actorUserId,actorEmail,action,targetType,targetId,networkId,ipAddress,details\r\n7,x,,,member.evicted,network,n1,,,\r\n";
        Api.Answer(HttpStatusCode.OK, csv, "text/csv");
        cut.Find("input[data-testid=audit-action]").Change("member");
        cut.Find("[data-testid=audit-export]").Click();
        cut.WaitForAssertion(() => Assert.Single(cut.FindAll("[data-testid=audit-download]")));
        Assert.Equal("/api/v1/audit/export", Api.Requests[2].Path);
        var href = cut.Find("[data-testid=audit-download]").GetAttribute("href")!;
        Assert.Equal(csv, System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(href[(href.IndexOf(',', StringComparison.Ordinal) + 1)..])));
    }
}
