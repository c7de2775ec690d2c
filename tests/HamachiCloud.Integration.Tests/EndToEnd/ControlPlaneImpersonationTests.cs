using HamachiCloud.Agent.Engine.Control;
using HamachiCloud.Api.Tests;
using HamachiCloud.Integration.Tests.Lab;
using HamachiCloud.Migrations;
using HamachiCloud.Protocol.Control;
using HamachiCloud.Testing;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace HamachiCloud.Integration.Tests.EndToEnd;

/// <summary>
/// An agent enrolled with the real Api finds a second real Api (another deployment, another
/// identity key) at the same address: it refuses to log in, sends no credential (the impostor's
/// hub saw only Hello), and <c>hamachi status</c> shows why.
/// </summary>
[Collection(LabCollection.Name)]
public sealed class ControlPlaneImpersonationTests(ITestOutputHelper output)
{
    [SkippableFact]
    public async Task An_agent_facing_a_server_with_another_identity_key_refuses_to_log_in_and_sends_no_credential()
    {
        Requires.Root();
        await using var lab = await ControlLab.StartAsync(2, output);
        var owner = await lab.Api.SignUpAsync("victim");
        var agent = await lab.AddAgentAsync(owner, "victim");
        Assert.True(agent.Status().Connected);

        // The impostor: a complete Api of its own (own database, own identity key) at the genuine address.
        var impostorFactory = await ApiFactory.CreateAsync(DatabaseProvider.Sqlite);
        var calls = new HubCallCounter();
        impostorFactory.ConfigureTestServices = s => s.Configure<HubOptions>(o => o.AddFilter(calls));
        lab.Api.Unreachable(); // cuts the agent's session; it reconnects to whatever answers at the address
        await using var impostor = LabApi.Start(impostorFactory, lab.Hosts.Hosts[0].Namespace, lab.Hosts.Hosts[0].Underlay);
        Assert.Equal(lab.Api.Url, impostor.Url);

        Assert.True(agent.Daemon.WaitFor("login refused", 1, TimeSpan.FromSeconds(30)), $"the agent did not refuse the impostor: {agent.Daemon.Output}");
        var status = agent.Status();
        output.WriteLine($"status: connected={status.Connected}, last error: {status.LastError}");
        output.WriteLine($"impostor hub received: {calls.Summary}");
        Assert.False(status.Connected);
        Assert.Contains(LoginHandshake.IdentityMismatch, status.LastError, StringComparison.Ordinal);
        var text = agent.Cli("status");
        Assert.Contains(LoginHandshake.IdentityMismatch, text.Stdout, StringComparison.Ordinal);

        // No credential: the impostor saw hellos (nonce, device id) and never a login (the machine key's signature).
        Assert.True(calls[nameof(IAgentHub.Hello)] >= 1, $"the impostor saw no hello: {calls.Summary}");
        Assert.Equal(0, calls[nameof(IAgentHub.Login)]);
        Assert.Equal([nameof(IAgentHub.Hello)], calls.Methods);
    }
}
