using System.Diagnostics;
using HamachiCloud.Api.Contracts.Networks;
using HamachiCloud.Migrations;
using HamachiCloud.Protocol.Control;
using HamachiCloud.Protocol.Networks;
using Microsoft.AspNetCore.SignalR.Client;
using Xunit.Abstractions;

namespace HamachiCloud.Api.Tests;

/// <summary>Runs alone: nothing else in the test process may use the CPU while it is measured.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class AloneCollection
{
    public const string Name = "alone: measures the process CPU";
}

/// <summary>
/// Issue 12, item 7, as the issue states the result: 100 <c>RequestNetworkMap</c> per second from one device
/// for 10 s cost the Api under 10 % of a core (before: 14 per second used 93 %). The Api runs in this process with
/// its real clock (budgets refill as in production); the CPU is the whole process's (server and client together, an
/// upper bound for the server), measured while no other test runs, minus the same process idle for as long (the
/// mean of the windows before and after the flood).
/// </summary>
[Collection(AloneCollection.Name)]
public sealed class ControlFloodCpuTests(ITestOutputHelper output)
{
    private const int PerSecond = 100;
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(10);

    [SkippableFact]
    public async Task A_hundred_map_requests_a_second_cost_under_a_tenth_of_a_core()
    {
        await using var f = await ApiFactory.CreateAsync(DatabaseProvider.Sqlite);
        var owner = await TestUser.CreateAsync(f, "floodowner");
        var network = await owner.Client.CreateNetworkAsync(new CreateNetworkRequest("flooded", JoinPolicy: JoinPolicy.Open));
        var peers = new List<TestAgent>();
        for (var i = 0; i < 4; i++)
        {
            var member = await TestUser.CreateAsync(f, $"member{i}");
            await member.Client.JoinNetworkAsync(new JoinNetworkRequest(network.NetworkId));
            peers.Add(await TestAgent.EnrolWithSetupKeyAsync(f, member, $"peer {i}"));
        }

        await using var agent = await TestAgent.EnrolWithSetupKeyAsync(f, owner, "flooder");
        await agent.ConnectAsync(f, webSocket: true); // as agents connect: one WebSocket, not a request per call
        await agent.HelloAsync();
        Assert.True((await agent.LoginAsync()).Ok);
        await agent.WaitUntilAsync(a => a.Map is { Peers.Count: >= 4 }, "the login map with its 4 peers (a full Free network)");

        // Warm up (the JIT's tiering recompiles the hot paths during the first seconds), then let the budget refill.
        await FloodAsync(agent, TimeSpan.FromSeconds(3));
        await Task.Delay(TimeSpan.FromSeconds(8), TimeProvider.System);

        var idleBefore = await CpuOverAsync(() => Task.Delay(Window, TimeProvider.System));
        var mapsBefore = agent.Received.Count(k => k == "map");
        var sent = 0;
        var flood = await CpuOverAsync(async () => sent = await FloodAsync(agent, Window));
        await Task.Delay(TimeSpan.FromMilliseconds(500), TimeProvider.System);
        var answered = agent.Received.Count(k => k == "map") - mapsBefore;
        var idleAfter = await CpuOverAsync(() => Task.Delay(Window, TimeProvider.System));
        var idle = (idleBefore + idleAfter) / 2; // the background (map ticks, jobs) around the flood

        var core = (flood - idle).TotalSeconds / Window.TotalSeconds;
        output.WriteLine($"idle {idle.TotalMilliseconds:0} ms CPU in {Window.TotalSeconds:0} s; {sent} RequestNetworkMap ({sent / Window.TotalSeconds:0}/s): "
            + $"{flood.TotalMilliseconds:0} ms CPU, {answered} maps sent; cost {core:P1} of a core (target under 10 %)");
        Assert.True(sent >= PerSecond * Window.TotalSeconds * 0.9, $"the flood sent {sent} calls");
        Assert.True((await agent.Connection.InvokeAsync<CommandResult>(nameof(IAgentHub.SetNickname), "still here")).Ok); // the session lives on
        Assert.True(core < 0.10, $"100 map requests a second cost {core:P1} of a core");

        foreach (var peer in peers)
        {
            await peer.DisposeAsync();
        }
    }

    /// <summary>Paced: <see cref="PerSecond"/> calls a second, fire-and-forget as a flooding client sends them.</summary>
    private static async Task<int> FloodAsync(TestAgent agent, TimeSpan length)
    {
        var sent = 0;
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < length)
        {
            while (sent < clock.Elapsed.TotalSeconds * PerSecond)
            {
                await agent.Connection.SendAsync(nameof(IAgentHub.RequestNetworkMap));
                sent++;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(5), TimeProvider.System);
        }

        return sent;
    }

    private static async Task<TimeSpan> CpuOverAsync(Func<Task> work)
    {
        using var process = Process.GetCurrentProcess();
        var before = process.TotalProcessorTime;
        await work();
        process.Refresh();
        return process.TotalProcessorTime - before;
    }
}
