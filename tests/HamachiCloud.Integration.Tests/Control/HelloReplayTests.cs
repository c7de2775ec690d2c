using System.Security.Cryptography;
using HamachiCloud.Agent.Engine.Control;
using HamachiCloud.Api.Tests;
using HamachiCloud.Migrations;
using HamachiCloud.Protocol.Control;
using Microsoft.AspNetCore.SignalR.Client;

namespace HamachiCloud.Integration.Tests.Control;

/// <summary>
/// The agent's half of replay protection against the real Api: a server proof (hello answer)
/// captured from one session verifies in that session only; replayed into a new session (new agent
/// nonce) or for another device, the agent's <see cref="LoginHandshake"/> refuses it before sending
/// any credential.
/// </summary>
public sealed class HelloReplayTests : IAsyncLifetime
{
    private ApiFactory _api = null!;

    public async Task InitializeAsync()
    {
        _api = await ApiFactory.CreateAsync(DatabaseProvider.Sqlite);
        _ = _api.Server;
    }

    public async Task DisposeAsync() => await _api.DisposeAsync();

    [Fact]
    public async Task A_hello_answer_captured_from_one_session_is_refused_by_the_agent_in_a_new_session()
    {
        var user = await TestUser.CreateAsync(_api);
        await using var agent = await TestAgent.EnrolWithSetupKeyAsync(_api, user, "replay-target");
        await agent.ConnectAsync(_api, webSocket: true);
        var first = LoginHandshake.CreateHello(agent.DeviceId, RandomNumberGenerator.GetBytes(ControlProtocol.NonceSize));
        var captured = await agent.Connection.InvokeAsync<HelloResponse>(nameof(IAgentHub.Hello), first);
        Assert.Null(LoginHandshake.CheckServer(first, captured, agent.PinnedServerKey)); // genuine in its own session

        var next = LoginHandshake.CreateHello(agent.DeviceId, RandomNumberGenerator.GetBytes(ControlProtocol.NonceSize));
        var replayed = LoginHandshake.CheckServer(next, captured, agent.PinnedServerKey);
        Assert.Equal((LoginErrors.BadSignature, LoginHandshake.IdentityMismatch), (replayed?.Code, replayed?.Reason));

        var otherDevice = first with { DeviceId = Guid.NewGuid() };
        Assert.NotNull(LoginHandshake.CheckServer(otherDevice, captured, agent.PinnedServerKey));
    }
}
