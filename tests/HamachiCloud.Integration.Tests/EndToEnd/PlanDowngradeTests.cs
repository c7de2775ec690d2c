using System.Diagnostics;
using HamachiCloud.Api.Contracts.Networks;
using HamachiCloud.Api.Contracts.Plans;
using HamachiCloud.Data.Entities;
using HamachiCloud.Integration.Tests.Lab;
using HamachiCloud.Protocol.Networks;
using HamachiCloud.Testing;
using Xunit.Abstractions;

namespace HamachiCloud.Integration.Tests.EndToEnd;

/// <summary>
/// A downgrade with real agents in namespaces: a Premium mesh network of 8 members (the owner and 3 more with real
/// daemons, 4 members through the Api only) falls back to Free when its grant ends. The 3 newest members, the ones
/// with daemons, are over the Free limit of 5: the owner's daemon stops reaching each of them within 5 s and their
/// <c>hamachi list</c> says "inactive: over plan limit"; nothing is deleted; a new grant brings each tunnel back
/// within 5 s. A Free network cannot become a gateway network through the CLI (the hub) and the CLI says so in one line.
/// </summary>
[Collection(LabCollection.Name)]
public sealed class PlanDowngradeTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Formation = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(5);

    [SkippableFact]
    public async Task Premium_to_free_sets_the_three_newest_members_aside_within_5_s_and_an_upgrade_brings_them_back_within_5_s()
    {
        Requires.Root();
        Requires.Command("ping");
        await using var lab = await ControlLab.StartAsync(5, output);
        var staff = await LabPlans.StaffAsync(lab.Api.Factory);
        var owner = await lab.Api.SignUpAsync("owner");
        var network = await owner.CreateNetworkAsync(new CreateNetworkRequest("guild", JoinPolicy: JoinPolicy.Open));
        var grant = await LabPlans.GrantAsync(staff, network.Id);
        var ownerAgent = await lab.AddAgentAsync(owner, "owner");

        // Hamachi's CLI on a Free account: a gateway network needs Premium, said in one line.
        var gateway = ownerAgent.Cli("create", "office", "--type", "gateway");
        output.WriteLine($"hamachi create office --type gateway: exit {gateway.ExitCode}: {gateway.Stderr.Trim()}");
        Assert.NotEqual(0, gateway.ExitCode);
        Assert.Contains("needs the Premium plan", gateway.Stderr, StringComparison.Ordinal);
        Assert.Single(gateway.Stderr.Trim().Split('\n'));
        Assert.Single(await owner.ListNetworksAsync());

        for (var i = 1; i <= 4; i++)
        {
            await (await lab.Api.SignUpAsync($"member{i}")).JoinNetworkAsync(new JoinNetworkRequest(network.NetworkId));
        }

        var newest = new List<LabAgent>();
        for (var i = 5; i <= 7; i++)
        {
            var agent = await lab.AddAgentAsync(await lab.Api.SignUpAsync($"member{i}"), $"member{i}");
            agent.Command("join", network.NetworkId);
            newest.Add(agent);
        }

        Assert.Equal((8, 256), ((await owner.GetNetworkAsync(network.Id)).MemberCount, (await owner.GetNetworkAsync(network.Id)).MemberLimit));
        var formation = Stopwatch.StartNew();
        foreach (var agent in newest)
        {
            Assert.True(Pings.FirstAnswer(ownerAgent.Namespace, agent.IPv4, Formation, formation) < Formation, $"owner → {agent.Name} never answered");
        }

        // The grant ends: Free allows 5, the owner and the 4 longest-standing members stay. Pings to all three run
        // side by side (every 200 ms, each reply timestamped), so each tunnel's end is measured, not the checks' order.
        var pings = newest.Select(a => new Pings.Continuous(ownerAgent.Namespace, a.IPv4, TimeSpan.FromMilliseconds(200))).ToList();
        Thread.Sleep(TimeSpan.FromSeconds(1));
        var downgradeAt = TimeProvider.System.GetUtcNow();
        await staff.EndGrantAsync(grant.Id, new ChangeGrantRequest("lab: payment lapsed"));
        Thread.Sleep(Limit + TimeSpan.FromSeconds(3));
        var stoppedAt = TimeProvider.System.GetUtcNow();
        foreach (var (agent, ping) in newest.Zip(pings))
        {
            ping.Stop();
            var last = ping.Replies.Count == 0 ? (DateTimeOffset?)null : ping.Replies.Max();
            output.WriteLine($"{agent.Name}: last answer {(last - downgradeAt)?.TotalSeconds:0.00} s after the downgrade (limit {Limit.TotalSeconds:0} s); {ping.Summary}");
            Assert.NotNull(last); // it answered before the downgrade
            Assert.True(last <= downgradeAt + Limit, $"{agent.Name} still answered {(last - downgradeAt)?.TotalSeconds:0.0} s after the downgrade");
            Assert.True(last < stoppedAt - TimeSpan.FromSeconds(2), $"{agent.Name} answered in the last 2 s");
            ping.Dispose();
        }

        foreach (var agent in newest)
        {
            Assert.True(LabAgent.Eventually(() => agent.List().Single(n => n.NetworkId == network.NetworkId).OverPlanLimit, Limit), $"{agent.Name}'s list");
            Assert.False(Pings.Answers(agent.Namespace, ownerAgent.IPv4, TimeSpan.FromSeconds(1)), $"{agent.Name} still reaches the owner");
        }

        var listed = newest[0].Cli("list");
        output.WriteLine(listed.Stdout);
        Assert.Contains("inactive: over plan limit", listed.Stdout, StringComparison.Ordinal);
        var members = await owner.ListMembersAsync(network.Id);
        Assert.Equal(8, members.Count(m => m.Status == MemberStatus.Active)); // nothing deleted
        Assert.Equal(3, members.Count(m => m.OverPlanLimit));
        Assert.Equal("Free", (await owner.GetNetworkAsync(network.Id)).Plan);

        // A new grant: every tunnel is back within 5 s.
        var upgrade = Stopwatch.StartNew();
        await LabPlans.GrantAsync(staff, network.Id);
        foreach (var agent in newest)
        {
            var back = Pings.FirstAnswer(ownerAgent.Namespace, agent.IPv4, Formation, upgrade);
            output.WriteLine($"{agent.Name}: answers again {back.TotalSeconds:0.00} s after the upgrade (limit {Limit.TotalSeconds:0} s)");
            Assert.True(back <= Limit, $"{agent.Name} came back only {back.TotalSeconds:0.0} s after the upgrade");
        }

        Assert.All(await owner.ListMembersAsync(network.Id), m => Assert.False(m.OverPlanLimit));
        Assert.Equal(Plan.PremiumId, (await staff.ListGrantsAsync(await OwnerIdAsync(owner))).First().PlanId);
    }

    private static async Task<Guid> OwnerIdAsync(Api.Contracts.Client.HamachiClient owner) => (await owner.GetMeAsync()).Id;
}
