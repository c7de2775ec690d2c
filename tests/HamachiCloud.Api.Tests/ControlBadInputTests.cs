using System.Net.WebSockets;
using System.Text;
using HamachiCloud.Api.Contracts.Networks;
using HamachiCloud.Migrations;
using HamachiCloud.Protocol.Control;
using HamachiCloud.Protocol.Networks;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace HamachiCloud.Api.Tests;

/// <summary>
/// Bad input on the agent hub, over real connections: malformed MessagePack frames, frames over
/// <c>ControlPlane:MaximumReceiveMessageBytes</c>, calls before login and a login replayed from an
/// earlier session are each refused and logged, the connection is closed, and the database is
/// exactly as before.
/// </summary>
public abstract class ControlBadInputTests(BadInputWorld world)
{
    private const byte RecordSeparator = 0x1e;

    [SkippableFact]
    public async Task A_malformed_MessagePack_frame_closes_the_connection_is_logged_and_changes_nothing()
    {
        var f = await world.GetAsync();
        var before = await DatabaseSnapshot.SettledAsync(f);

        // A frame with a valid length prefix whose body is not MessagePack (0xc1 is never used).
        var (closed, detail) = await RawSessionAsync(f, [0x04, 0xc1, 0xc1, 0xc1, 0xc1]);
        Assert.True(closed, $"the server kept a connection that sent a malformed frame: {detail}");
        // A well-formed MessagePack frame that is no hub message (an array of one string).
        var (closed2, detail2) = await RawSessionAsync(f, [0x03, 0x91, 0xa1, 0x78]);
        Assert.True(closed2, $"the server kept a connection that sent a non-message: {detail2}");

        await AssertLoggedAsync("closed before login", 2);
        Assert.Equal(before, await DatabaseSnapshot.SettledAsync(f));
    }

    [SkippableFact]
    public async Task A_hub_call_with_arguments_of_the_wrong_type_closes_the_connection()
    {
        var f = await world.GetAsync();
        var before = await DatabaseSnapshot.SettledAsync(f);
        var user = await TestUser.CreateAsync(f);
        await using var agent = await TestAgent.EnrolWithSetupKeyAsync(f, user, "wrong-types");
        before = await DatabaseSnapshot.SettledAsync(f);
        await agent.ConnectAsync(f, webSocket: true);

        // Hello takes a HelloRequest; a string cannot bind. SignalR alone would answer an error and keep the connection.
        await Assert.ThrowsAnyAsync<Exception>(() => agent.Connection.InvokeAsync<HelloResponse>(nameof(IAgentHub.Hello), "not a hello"));
        await agent.WaitUntilAsync(a => a.Closed, "the connection to close after a call that does not bind");
        await AssertLoggedAsync("closed before login", 1);
        Assert.Equal(before, await DatabaseSnapshot.SettledAsync(f));
    }

    [SkippableFact]
    public async Task A_message_over_the_64_KiB_limit_closes_the_connection_one_under_it_is_answered()
    {
        var f = await world.GetAsync();
        var user = await TestUser.CreateAsync(f);
        await using var agent = await TestAgent.EnrolWithSetupKeyAsync(f, user, "big");
        var before = await DatabaseSnapshot.SettledAsync(f);

        // 40 KiB: over SignalR's default of 32 KiB, under ours (the hub uses the configured limit).
        await agent.ConnectAsync(f, webSocket: true);
        var hello = await agent.HelloAsync(agentVersion: new string('v', 40 * 1024));
        Assert.Null(hello.ErrorCode);
        await agent.Connection.StopAsync();

        await using var big = await TestAgent.EnrolWithSetupKeyAsync(f, user, "bigger");
        before = await DatabaseSnapshot.SettledAsync(f);
        await big.ConnectAsync(f, webSocket: true);
        await Assert.ThrowsAnyAsync<Exception>(() => big.HelloAsync(agentVersion: new string('v', 65 * 1024)));
        await big.WaitUntilAsync(a => a.Closed, "the connection to close after an oversized message");
        await AssertLoggedAsync("maximum message size", 1);
        Assert.Equal(before, await DatabaseSnapshot.SettledAsync(f));
    }

    [SkippableFact]
    public async Task Commands_before_login_are_refused_logged_the_connection_closed_and_nothing_is_written()
    {
        var f = await world.GetAsync();
        var user = await TestUser.CreateAsync(f);
        var network = await user.Client.CreateNetworkAsync(new CreateNetworkRequest("before login", JoinPolicy: JoinPolicy.Open));
        await using var early = await TestAgent.EnrolWithSetupKeyAsync(f, user, "early");
        var before = await DatabaseSnapshot.SettledAsync(f);

        await early.ConnectAsync(f, webSocket: true);
        await Assert.ThrowsAnyAsync<Exception>(() =>
            early.Connection.InvokeAsync<CommandResult>(nameof(IAgentHub.CreateNetwork), "sneaky", NetworkType.Mesh, null));
        await early.WaitUntilAsync(a => a.Closed, "the connection to close");

        await using var afterHello = await TestAgent.EnrolWithSetupKeyAsync(f, user, "after-hello");
        before = await DatabaseSnapshot.SettledAsync(f);
        await afterHello.ConnectAsync(f, webSocket: true);
        await afterHello.HelloAsync(); // proved nothing yet: still no commands
        await Assert.ThrowsAnyAsync<Exception>(() =>
            afterHello.Connection.InvokeAsync<CommandResult>(nameof(IAgentHub.SetOnline), network.NetworkId, false));
        await afterHello.WaitUntilAsync(a => a.Closed, "the connection to close");

        await AssertLoggedAsync("call before login", 2);
        Assert.Equal(before, await DatabaseSnapshot.SettledAsync(f));
    }

    [SkippableFact]
    public async Task A_login_replayed_from_an_earlier_session_is_refused_because_the_server_nonce_differs()
    {
        var f = await world.GetAsync();
        var user = await TestUser.CreateAsync(f);
        await using var agent = await TestAgent.EnrolWithSetupKeyAsync(f, user, "replayed");
        await agent.ConnectAndLoginAsync(f);
        var captured = agent.LastLogin!;
        await agent.Connection.InvokeAsync(nameof(IAgentHub.Goodbye));
        await agent.Connection.StopAsync();
        var before = await DatabaseSnapshot.SettledAsync(f);

        // The eavesdropper (no machine key) opens a new session as the device and replays the captured proof.
        await using var eavesdropper = await TestAgent.EnrolWithSetupKeyAsync(f, user, "eavesdropper");
        before = await DatabaseSnapshot.SettledAsync(f);
        await eavesdropper.ConnectAsync(f, webSocket: true);
        await eavesdropper.HelloAsync(deviceId: agent.DeviceId);
        var refused = await eavesdropper.SendLoginAsync(captured);
        Assert.Equal((false, LoginErrors.BadSignature), (refused.Ok, refused.ErrorCode));
        await eavesdropper.WaitUntilAsync(a => a.Closed, "the refused connection to close");
        Assert.Null(eavesdropper.Map);

        await AssertLoggedAsync($"control login refused for device {agent.DeviceId}", 1);
        Assert.Equal(before, await DatabaseSnapshot.SettledAsync(f));
    }

    private async Task AssertLoggedAsync(string text, int atLeast)
    {
        var deadline = TimeProvider.System.GetTimestamp();
        while (world.Logs.Warnings(text).Count < atLeast && TimeProvider.System.GetElapsedTime(deadline) < TimeSpan.FromSeconds(10))
        {
            await Task.Delay(TimeSpan.FromMilliseconds(50), TimeProvider.System);
        }

        Assert.True(world.Logs.Warnings(text).Count >= atLeast,
            $"expected {atLeast} warning(s) containing '{text}'; warnings: {string.Join("\n", world.Logs.Entries.Where(e => e.Level >= LogLevel.Warning).Select(e => e.Message))}");
    }

    /// <summary>
    /// A raw WebSocket session: the SignalR handshake (MessagePack), then <paramref name="frame"/> as
    /// one binary message. True when the server closed the connection within 10 s; the detail says what came back.
    /// </summary>
    private static async Task<(bool Closed, string Detail)> RawSessionAsync(ApiFactory f, byte[] frame)
    {
        var client = f.Server.CreateWebSocketClient();
        var uri = new UriBuilder(new Uri(f.Server.BaseAddress, ControlProtocol.HubPath)) { Scheme = "ws" }.Uri;
        using var socket = await client.ConnectAsync(uri, CancellationToken.None);
        var handshake = Encoding.UTF8.GetBytes("{\"protocol\":\"messagepack\",\"version\":1}").Append(RecordSeparator).ToArray();
        await socket.SendAsync(handshake, WebSocketMessageType.Text, true, CancellationToken.None);
        var buffer = new byte[4096];
        var answer = await socket.ReceiveAsync(buffer, CancellationToken.None);
        var handshakeAnswer = Encoding.UTF8.GetString(buffer, 0, answer.Count);
        Assert.Equal("{}\u001e", handshakeAnswer);

        await socket.SendAsync(frame, WebSocketMessageType.Binary, true, CancellationToken.None);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var detail = new StringBuilder();
        try
        {
            while (true)
            {
                var received = await socket.ReceiveAsync(buffer, timeout.Token);
                if (received.MessageType == WebSocketMessageType.Close)
                {
                    return (true, detail.Append($"close {socket.CloseStatus}").ToString());
                }

                detail.Append(Convert.ToHexString(buffer, 0, received.Count)).Append(' ');
            }
        }
        catch (OperationCanceledException)
        {
            return (false, detail.Append("still open after 10 s").ToString());
        }
        catch (Exception e) when (e is WebSocketException or IOException)
        {
            return (true, detail.Append($"aborted: {e.Message}").ToString());
        }
    }
}

/// <summary>An Api per provider whose warnings are captured.</summary>
public abstract class BadInputWorld : ApiWorld
{
    public LogCapture Logs { get; } = new();

    protected override void Configure(ApiFactory factory) =>
        factory.ConfigureTestServices = s => s.AddSingleton<ILoggerProvider>(Logs);
}

public sealed class SqliteBadInputWorld : BadInputWorld
{
    protected override DatabaseProvider Provider => DatabaseProvider.Sqlite;
}

public sealed class PostgresBadInputWorld : BadInputWorld
{
    protected override DatabaseProvider Provider => DatabaseProvider.Postgres;
}

public sealed class SqliteControlBadInputTests(SqliteBadInputWorld world) : ControlBadInputTests(world), IClassFixture<SqliteBadInputWorld>;

public sealed class PostgresControlBadInputTests(PostgresBadInputWorld world) : ControlBadInputTests(world), IClassFixture<PostgresBadInputWorld>;
