using System.Collections.Concurrent;
using HamachiCloud.Agent.Control;
using HamachiCloud.Agent.Engine.Control;
using HamachiCloud.Protocol.Control;
using HamachiCloud.Protocol.Crypto;

namespace HamachiCloud.Agent.Tests;

/// <summary>The real SignalR client against a fake hub on loopback: pinning is enforced before any credential leaves.</summary>
public sealed class ControlConnectionTests : IDisposable
{
    private readonly SigningKey _server = SigningKey.Generate();
    private readonly SigningKey _machine = SigningKey.Generate();

    public void Dispose()
    {
        _server.Dispose();
        _machine.Dispose();
    }

    [Fact]
    public async Task A_server_with_another_identity_key_is_refused_before_the_agent_sends_login()
    {
        using var impostor = SigningKey.Generate();
        await using var server = await FakeServer.StartAsync(_server, impostor, _machine.PublicKey);
        var events = new RecordingEvents();
        await using var connection = new ControlConnection(server.Url, Maps.Self, _server.PublicKey, events);

        var refusal = await connection.LoginAsync(_machine, CancellationToken.None);

        Assert.Equal(LoginHandshake.IdentityMismatch, refusal?.Reason);
        await connection.Closed.WaitAsync(TimeSpan.FromSeconds(5), CancellationToken.None);
        Assert.Equal(["Hello"], server.Calls);
    }

    [Fact]
    public async Task The_pinned_server_gets_a_machine_signed_login_and_its_signed_map_arrives()
    {
        await using var server = await FakeServer.StartAsync(_server, _server, _machine.PublicKey);
        var events = new RecordingEvents();
        await using var connection = new ControlConnection(server.Url, Maps.Self, _server.PublicKey, events);

        Assert.Null(await connection.LoginAsync(_machine, CancellationToken.None));
        var map = await events.Maps.Task.WaitAsync(TimeSpan.FromSeconds(5), CancellationToken.None);
        Assert.Equal(1, SignedPayloads.Open<NetworkMap>(map, _server.PublicKey, out _)!.Version);

        Assert.True((await connection.JoinNetworkAsync("123-456-789", null, CancellationToken.None)).Ok);
        Assert.True((await connection.AdvertiseRoutesAsync("123-456-789", ["198.18.77.0/24", "2001:db8::/64"], CancellationToken.None)).Ok);
        await connection.GoodbyeAsync(CancellationToken.None);
        Assert.Equal(["Hello", "Login", "JoinNetwork", "AdvertiseRoutes 123-456-789 198.18.77.0/24 2001:db8::/64", "Goodbye"], server.Calls);
    }

    [Fact]
    public async Task A_login_the_server_refuses_is_reported_with_its_reason()
    {
        using var otherMachine = SigningKey.Generate();
        await using var server = await FakeServer.StartAsync(_server, _server, otherMachine.PublicKey);
        await using var connection = new ControlConnection(server.Url, Maps.Self, _server.PublicKey, new RecordingEvents());

        var refusal = await connection.LoginAsync(_machine, CancellationToken.None);

        Assert.Equal(LoginErrors.BadSignature, refusal?.Code);
        Assert.Contains("machine key", refusal!.Reason, StringComparison.Ordinal);
    }

    private sealed class RecordingEvents : IControlEvents
    {
        public TaskCompletionSource<SignedMessage> Maps { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public ConcurrentQueue<string> Calls { get; } = new();

        public void NetworkMap(SignedMessage map) => Maps.TrySetResult(map);

        public void NetworkMapDelta(SignedMessage delta) => Calls.Enqueue("delta");

        public void VerifyPeers(VerifyPeersRequest request) => Calls.Enqueue("verify");

        public void Goodbye(string errorCode, string reason) => Calls.Enqueue("goodbye");

        public void RelayTokensChanged() => Calls.Enqueue("relay-tokens");
    }
}
