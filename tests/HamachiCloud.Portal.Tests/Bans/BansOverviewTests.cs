using System.Net;
using Bunit;
using HamachiCloud.Api.Contracts.Bans;
using HamachiCloud.Portal.Components.Support;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace HamachiCloud.Portal.Tests.Bans;

/// <summary>The support bans page: the list with hit counts and states, the second confirmation for a risky range, lift.</summary>
public sealed class BansOverviewTests : QueuedApiTestContext
{
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeSeconds(1_900_000_000);

    private static readonly BanDto Range = new(Guid.NewGuid(), "198.51.100.0/24", "abuse from this range", Now.AddHours(-1), null, Guid.NewGuid(),
        StaffNote: "ticket 4711", HitCount: 7, LastHitAt: Now.AddMinutes(-1), ExemptPaidAccounts: true);

    private static readonly BanDto LiftedAccount = new(Guid.NewGuid(), null, "spam", Now.AddDays(-2), null, Guid.NewGuid(),
        Kind: BanTarget.Account, UserId: Guid.NewGuid(), UserEmail: "spammer@example.test", HitCount: 2, LiftedAt: Now.AddDays(-1));

    public BansOverviewTests()
    {
        Services.AddSingleton<TimeProvider>(new FixedClock(Now));
    }

    private IRenderedComponent<BansOverview> RenderPage()
    {
        Render<MudPopoverProvider>();
        return Render<BansOverview>();
    }

    [Fact]
    public void The_list_shows_hits_notes_exemptions_and_states_and_offers_lift_for_acting_bans_only()
    {
        Api.Answer(HttpStatusCode.OK, new[] { Range, LiftedAccount });
        var page = RenderPage();
        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("[data-ban]").Count));
        Assert.Equal("active", page.Find($"[data-ban='{Range.Id}']").GetAttribute("data-state"));
        Assert.Equal("lifted", page.Find($"[data-ban='{LiftedAccount.Id}']").GetAttribute("data-state"));
        Assert.Equal(["7", "2"], page.FindAll("[data-testid=ban-hits]").Select(e => e.TextContent.Trim()));
        Assert.Contains("ticket 4711", page.Markup, StringComparison.Ordinal);
        Assert.Contains("Paid plans", page.Markup, StringComparison.Ordinal);
        Assert.Contains("spammer@example.test", page.Markup, StringComparison.Ordinal);
        Assert.Single(page.FindAll("button[aria-label='Lift ban 198.51.100.0/24']"));
        Assert.Empty(page.FindAll("button[aria-label='Lift ban spammer@example.test']"));

        Api.Answer(HttpStatusCode.OK, Range with { LiftedAt = Now });
        Api.Answer(HttpStatusCode.OK, new[] { Range with { LiftedAt = Now }, LiftedAccount });
        page.Find("button[aria-label='Lift ban 198.51.100.0/24']").Click();
        page.WaitForAssertion(() => Assert.Equal("lifted", page.Find($"[data-ban='{Range.Id}']").GetAttribute("data-state")));
        Assert.Contains(Api.Requests, r => r.Method == HttpMethod.Post && r.Path == $"/api/v1/bans/{Range.Id}/lift");
    }

    [Fact]
    public void A_risky_range_asks_again_and_ban_anyway_sends_the_confirmation()
    {
        Api.Answer(HttpStatusCode.OK, Array.Empty<BanDto>());
        var page = RenderPage();
        page.WaitForAssertion(() => Assert.Single(page.FindAll("[data-testid=bans-empty]")));

        page.Find("form").Submit(); // nothing filled in: refused here, nothing sent
        Assert.Contains("Enter a range such as 198.51.100.0/24", page.Markup, StringComparison.Ordinal);
        Assert.Single(Api.Requests);

        page.Find("[data-testid=ban-target] input, input[data-testid=ban-target]").Input("10.0.0.0/8");
        page.Find("[data-testid=ban-reason] input, input[data-testid=ban-reason]").Input("botnet");
        Api.Answer(HttpStatusCode.BadRequest, new
        {
            status = 400,
            code = "ban_needs_confirmation",
            title = "Bad request",
            detail = "banning 10.0.0.0/8 needs a second confirmation (send it again with confirm: true): it is wider than a /16",
        });
        page.Find("form").Submit();
        page.WaitForAssertion(() => Assert.Contains("wider than a /16", page.Find("[data-testid=ban-confirm]").TextContent, StringComparison.Ordinal));
        Assert.DoesNotContain("\"confirm\":true", Api.Requests[^1].Body, StringComparison.Ordinal);

        var created = new BanDto(Guid.NewGuid(), "10.0.0.0/8", "botnet", Now, null, null);
        Api.Answer(HttpStatusCode.Created, created);
        Api.Answer(HttpStatusCode.OK, new[] { created });
        page.FindAll("[data-testid=ban-confirm] button").Single(b => b.TextContent.Contains("Ban anyway", StringComparison.Ordinal)).Click();
        page.WaitForAssertion(() => Assert.Single(page.FindAll($"[data-ban='{created.Id}']")));
        var confirmed = Api.Requests.Single(r => r.Method == HttpMethod.Post && r.Body!.Contains("\"confirm\":true", StringComparison.Ordinal));
        Assert.Contains("\"cidr\":\"10.0.0.0/8\"", confirmed.Body, StringComparison.Ordinal);
        Assert.Contains("\"reason\":\"botnet\"", confirmed.Body, StringComparison.Ordinal);
        Assert.Empty(page.FindAll("[data-testid=ban-confirm]"));
    }

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
