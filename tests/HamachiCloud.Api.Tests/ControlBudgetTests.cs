using System.Diagnostics;
using HamachiCloud.Api.Contracts;
using HamachiCloud.Api.Contracts.Networks;
using HamachiCloud.Data;
using HamachiCloud.Protocol.Control;
using HamachiCloud.Protocol.Networks;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace HamachiCloud.Api.Tests;

/// <summary>
/// One device cannot overload the Api through the hub (issue 12, item 7): every method after login
/// has a per-session budget, and a map request is answered from the stored map instead of a rebuild.
/// Measured by what the server did (maps sent, versions issued, commands run), not by time: the
/// budgets' clock stands still in this world, so exactly the burst is allowed.
/// </summary>
public abstract class ControlBudgetTests(BudgetWorld world)
{
    [SkippableFact]
    public async Task A_hundred_map_requests_get_the_budget_and_rebuild_nothing()
    {
        var f = await world.GetAsync();
        var user = await TestUser.CreateAsync(f);
        await user.Client.CreateNetworkAsync(new CreateNetworkRequest("flood", JoinPolicy: JoinPolicy.Open));
        await using var agent = await TestAgent.EnrolWithSetupKeyAsync(f, user, "flooder");
        Assert.True((await agent.ConnectAndLoginAsync(f)).Ok);
        await agent.WaitUntilAsync(a => a.Map is not null, "the login map");
        await Task.Delay(TimeSpan.FromSeconds(1), TimeProvider.System); // the login's own tick has passed
        var version = await StoredVersionAsync(f, agent.DeviceId);
        var mapsBefore = agent.Received.Count(k => k == "map");

        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var flood = Stopwatch.StartNew();
        for (var i = 0; i < 100; i++)
        {
            await agent.Connection.InvokeAsync(nameof(IAgentHub.RequestNetworkMap));
        }

        flood.Stop();
        var used = Process.GetCurrentProcess().TotalProcessorTime - cpu;
        await Task.Delay(TimeSpan.FromMilliseconds(300), TimeProvider.System);
        var answered = agent.Received.Count(k => k == "map") - mapsBefore;
        Console.WriteLine($"100 RequestNetworkMap in {flood.Elapsed.TotalMilliseconds:0} ms: {answered} maps sent, "
            + $"{used.TotalMilliseconds:0} ms CPU in the test process (client and server together)");

        Assert.Equal((int)HubCallBudgetLimits(ControlPlane.HubCallKind.Map).Burst, answered);
        Assert.Equal(version, await StoredVersionAsync(f, agent.DeviceId)); // served from the stored map: no rebuild, no new version
        Assert.NotEmpty(world.Logs.Warnings("Map call over its budget"));
        Assert.True((await agent.Connection.InvokeAsync<CommandResult>(nameof(IAgentHub.SetNickname), "still here")).Ok); // the session goes on
    }

    [SkippableFact]
    public async Task Commands_over_the_budget_are_answered_rate_limited_and_not_run()
    {
        var f = await world.GetAsync();
        var user = await TestUser.CreateAsync(f);
        var network = await user.Client.CreateNetworkAsync(new CreateNetworkRequest("busy", JoinPolicy: JoinPolicy.Open));
        await using var agent = await TestAgent.EnrolWithSetupKeyAsync(f, user, "typist");
        Assert.True((await agent.ConnectAndLoginAsync(f)).Ok);

        var results = new List<CommandResult>();
        for (var i = 0; i < 60; i++)
        {
            results.Add(await agent.Connection.InvokeAsync<CommandResult>(nameof(IAgentHub.SetNickname), $"nick {i}"));
        }

        var burst = (int)HubCallBudgetLimits(ControlPlane.HubCallKind.Command).Burst;
        Assert.All(results.Take(burst), r => Assert.True(r.Ok, r.Error));
        Assert.All(results.Skip(burst), r => Assert.Equal(ErrorCodes.RateLimited, r.ErrorCode));

        // The refused ones did not run: the nickname is the last one that was accepted.
        var lastAccepted = results.FindLastIndex(r => r.Ok);
        var members = await user.Client.ListMembersAsync(network.Id);
        Assert.Equal($"nick {lastAccepted}", Assert.Single(members).Nickname);
    }

    /// <summary>The budget the server enforces for a family.</summary>
    private static (double Burst, double PerSecond) HubCallBudgetLimits(ControlPlane.HubCallKind kind) => ControlPlane.HubCallBudget.Limits[kind];

    private static async Task<long?> StoredVersionAsync(ApiFactory f, Guid deviceId)
    {
        using var scope = f.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<HamachiDbContext>();
        return await db.DeviceMapStates.Where(s => s.DeviceId == deviceId).Select(s => (long?)s.Version).FirstOrDefaultAsync();
    }
}

/// <summary>An Api per provider whose warnings are captured and whose hub budgets never refill.</summary>
public abstract class BudgetWorld : BadInputWorld
{
    protected override void Configure(ApiFactory factory)
    {
        base.Configure(factory);
        var logs = factory.ConfigureTestServices!;
        factory.ConfigureTestServices = s =>
        {
            logs(s);
            s.AddSingleton(new ControlPlane.HubCallBudget.Clock(new Microsoft.Extensions.Time.Testing.FakeTimeProvider()));
        };
    }
}

public sealed class SqliteBudgetWorld : BudgetWorld
{
    protected override Migrations.DatabaseProvider Provider => Migrations.DatabaseProvider.Sqlite;
}

public sealed class PostgresBudgetWorld : BudgetWorld
{
    protected override Migrations.DatabaseProvider Provider => Migrations.DatabaseProvider.Postgres;
}

public sealed class SqliteControlBudgetTests(SqliteBudgetWorld world) : ControlBudgetTests(world), IClassFixture<SqliteBudgetWorld>;

public sealed class PostgresControlBudgetTests(PostgresBudgetWorld world) : ControlBudgetTests(world), IClassFixture<PostgresBudgetWorld>;
