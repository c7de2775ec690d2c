using System.Collections.Concurrent;
using System.Net;
using System.Text;
using HamachiCloud.Agent.Enrol;
using Microsoft.Extensions.Time.Testing;

namespace HamachiCloud.Agent.Tests;

/// <summary>The device authorization grant against a scripted identity server, on a fake clock.</summary>
public class DeviceFlowTests
{
    [Fact]
    public async Task Polls_every_interval_adds_5_s_on_slow_down_and_returns_the_tokens()
    {
        var time = new FakeTimeProvider(Maps.Now);
        var server = new ScriptedServer(time,
            """{"device_code":"dc","user_code":"ABCD-EFGH","verification_uri":"http://198.18.0.11/connect/verify","interval":2,"expires_in":600}""",
            """{"error":"authorization_pending"}""",
            """{"error":"slow_down"}""",
            """{"access_token":"at","refresh_token":"rt","token_type":"Bearer"}""");
        using var http = new HttpClient(server) { BaseAddress = new Uri("http://198.18.0.11/") };
        var stdout = new StringWriter();

        var flow = new DeviceFlow(http, time).RunAsync(stdout, CancellationToken.None);
        for (var i = 0; i < 30 && !flow.IsCompleted; i++)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(20), TimeProvider.System);
            time.Advance(TimeSpan.FromSeconds(1));
        }

        var tokens = await flow;
        Assert.Equal(("at", "rt"), (tokens.AccessToken, tokens.RefreshToken));
        Assert.Contains("ABCD-EFGH", stdout.ToString(), StringComparison.Ordinal);
        Assert.Contains("client_id=hamachi-cli", server.Bodies.First(), StringComparison.Ordinal);
        Assert.Contains("scope=api+offline_access", server.Bodies.First(), StringComparison.Ordinal);
        Assert.Equal([0, 2, 4, 11], server.Times.Select(t => (int)(t - Maps.Now).TotalSeconds));
    }

    [Fact]
    public async Task A_denied_sign_in_is_an_error_with_the_reason()
    {
        var time = new FakeTimeProvider(Maps.Now);
        var server = new ScriptedServer(time,
            """{"device_code":"dc","user_code":"X","verification_uri":"http://198.18.0.11/v","interval":1}""",
            """{"error":"access_denied"}""");
        using var http = new HttpClient(server) { BaseAddress = new Uri("http://198.18.0.11/") };

        var flow = new DeviceFlow(http, time).RunAsync(new StringWriter(), CancellationToken.None);
        for (var i = 0; i < 10 && !flow.IsCompleted; i++)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(20), TimeProvider.System);
            time.Advance(TimeSpan.FromSeconds(1));
        }

        var error = await Assert.ThrowsAsync<IOException>(() => flow);
        Assert.Contains("denied", error.Message, StringComparison.Ordinal);
    }

    private sealed class ScriptedServer(TimeProvider time, params string[] answers) : HttpMessageHandler
    {
        private int _next;

        public ConcurrentQueue<DateTimeOffset> Times { get; } = new();

        public ConcurrentQueue<string> Bodies { get; } = new();

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Times.Enqueue(time.GetUtcNow());
            Bodies.Enqueue(await request.Content!.ReadAsStringAsync(cancellationToken));
            var body = answers[Math.Min(_next++, answers.Length - 1)];
            var status = body.Contains("\"error\"", StringComparison.Ordinal) ? HttpStatusCode.BadRequest : HttpStatusCode.OK;
            return new HttpResponseMessage(status) { Content = new StringContent(body, Encoding.UTF8, "application/json"), RequestMessage = request };
        }
    }
}
