using HamachiCloud.Api.Contracts.Networks;
using HamachiCloud.Api.Contracts.Plans;
using HamachiCloud.Integration.Tests.EndToEnd;
using HamachiCloud.Integration.Tests.Lab;
using HamachiCloud.Protocol.Networks;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace HamachiCloud.Integration.Tests.Portal;

/// <summary>
/// The downgrade chooser in a real browser (<see cref="PortalLab"/>): a Premium network of 8 members (the owner's and
/// the newest member's devices are real daemons) loses its grant; the owner's network page shows the 3 newest members
/// "Inactive: over plan limit" and the chooser; the owner keeps two of them instead of two older members and saves:
/// exactly the owner's 5 are active (Api), the newest member's tunnel comes back within 5 s, nothing is deleted. The
/// Free network's settings and the create dialog offer the gateway type disabled, naming the Premium plan.
/// </summary>
[Collection(LabCollection.Name)]
public sealed class PlanChooserTests(ITestOutputHelper output)
{
    private const string Test = nameof(PlanChooserTests);

    [SkippableFact]
    public async Task After_a_downgrade_the_owner_chooses_in_the_browser_who_stays_active()
    {
        await using var lab = await PortalLab.StartAsync(output, agentHosts: 2, portal: true);
        var owner = await LabUser.RegisterAsync(lab.Api, "owner");
        var ownerApi = await LabApi.SignInAsync(lab.Api.Factory, owner.Email, owner.Password);
        var ownerId = (await ownerApi.GetMeAsync()).Id;
        var staff = await LabPlans.StaffAsync(lab.Api.Factory);
        var network = await ownerApi.CreateNetworkAsync(new CreateNetworkRequest("guild", JoinPolicy: JoinPolicy.Open));
        var grant = await LabPlans.GrantAsync(staff, network.Id);
        using var ownerAgent = (await LabAgent.EnrolAsync(lab.AgentHost(1), lab.AgentServerUrl, ownerApi, "owner-pc", output)).Start();
        var members = new List<Guid>();
        LabAgent? newestAgent = null;
        for (var i = 1; i <= 7; i++)
        {
            var api = await LabApi.SignUpAsync(lab.Api.Factory, $"member{i}");
            await api.JoinNetworkAsync(new JoinNetworkRequest(network.NetworkId));
            members.Add((await api.GetMeAsync()).Id);
            if (i == 7)
            {
                newestAgent = (await LabAgent.EnrolAsync(lab.AgentHost(2), lab.AgentServerUrl, api, "member7-pc", output)).Start();
            }
        }

        using var member7 = newestAgent!;
        Assert.True(Pings.Answers(ownerAgent.Namespace, member7.IPv4, TimeSpan.FromSeconds(30)), "the newest member never answered");

        // The grant ends: Free allows 5; the owner and members 1-4 (the longest-standing) stay.
        await staff.EndGrantAsync(grant.Id, new ChangeGrantRequest("lab: payment lapsed"));
        Assert.True(Pings.StopsAnswering(ownerAgent.Namespace, member7.IPv4, TimeSpan.FromSeconds(7)), "member 7 still answers after the downgrade");

        var page = await lab.Browser.NewPageAsync("owner");
        await PortalSession.SignInAsync(page, lab, owner, $"/networks/{network.Id}");
        await Assertions.Expect(page.GetByTestId("over-limit-notice")).ToContainTextAsync("The Free plan allows 5 members and this network has 8");
        foreach (var (id, over) in members.Select((id, i) => (id, i >= 4)))
        {
            await Assertions.Expect(page.Locator($"tr[data-member='{id}']")).ToHaveAttributeAsync("data-over-limit", over ? "true" : "false");
        }

        await Assertions.Expect(page.Locator($"tr[data-member='{members[6]}']")).ToContainTextAsync("Inactive: over plan limit");
        await Screenshots.TakeAsync(page, Test, "over-limit");

        // The owner keeps members 6 and 7 instead of members 1 and 2.
        var chooser = page.GetByTestId("active-members-chooser");
        ILocator Box(Guid id) => chooser.Locator($"[data-member='{id}'] input[type=checkbox]");
        await Assertions.Expect(Box(ownerId)).ToBeDisabledAsync();
        await Assertions.Expect(Box(members[5])).ToBeDisabledAsync(); // 5 chosen: no room until one is unticked
        await Box(members[0]).UncheckAsync();
        await Box(members[1]).UncheckAsync();
        await Box(members[5]).CheckAsync();
        await Box(members[6]).CheckAsync();
        await Assertions.Expect(chooser).ToContainTextAsync("5 of 5 chosen");
        using var ping = new Pings.Continuous(ownerAgent.Namespace, member7.IPv4, TimeSpan.FromMilliseconds(200)); // replies timestamped
        var savedAt = TimeProvider.System.GetUtcNow();
        await chooser.GetByTestId("keep-members-save").ClickAsync();
        await Assertions.Expect(page.Locator($"tr[data-member='{members[6]}']")).ToHaveAttributeAsync("data-over-limit", "false", new() { Timeout = 10_000 });
        await Assertions.Expect(page.Locator($"tr[data-member='{members[0]}']")).ToHaveAttributeAsync("data-over-limit", "true");
        await Screenshots.TakeAsync(page, Test, "chosen");

        var list = await ownerApi.ListMembersAsync(network.Id);
        Assert.Equal(8, list.Count(m => m.Status == MemberStatus.Active)); // nothing deleted
        Assert.Equal(new[] { ownerId, members[2], members[3], members[5], members[6] }.ToHashSet(), list.Where(m => !m.OverPlanLimit).Select(m => m.UserId).ToHashSet());
        Assert.True(Pings.Answers(ownerAgent.Namespace, member7.IPv4, TimeSpan.FromSeconds(10)), "member 7 never came back");
        ping.Stop();
        var back = ping.Replies.Where(r => r >= savedAt).DefaultIfEmpty(DateTimeOffset.MaxValue).Min() - savedAt;
        output.WriteLine($"member 7 answers again {back.TotalSeconds:0.00} s after the owner clicked save ({ping.Summary})");
        Assert.True(back <= TimeSpan.FromSeconds(5), $"member 7 came back only after {back.TotalSeconds:0.0} s");

        // A Free network cannot become a gateway in the Portal: the type is disabled with the plan named.
        await PortalSession.OpenAsync(page, $"{lab.PortalUrl}/networks/{network.Id}?tab=settings");
        var gatewayType = page.GetByTestId("settings-type-gateway");
        await Assertions.Expect(gatewayType).ToContainTextAsync("Needs the Premium plan");
        await Assertions.Expect(gatewayType.Locator("input")).ToBeDisabledAsync();
        await PortalSession.OpenAsync(page, $"{lab.PortalUrl}/networks");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create network" }).First.ClickAsync();
        var create = page.GetByRole(AriaRole.Dialog);
        await Assertions.Expect(create.GetByTestId("network-type-gateway")).ToContainTextAsync("Needs the Premium plan");
        await Assertions.Expect(create.GetByTestId("network-type-gateway").Locator("input")).ToBeDisabledAsync();
        await Screenshots.TakeAsync(page, Test, "gateway-needs-premium");
        Assert.Equal(NetworkType.Mesh, (await ownerApi.GetNetworkAsync(network.Id)).Type);
    }
}
