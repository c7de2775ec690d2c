using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using HamachiCloud.Api.Contracts;
using HamachiCloud.Api.Contracts.Accounts;
using HamachiCloud.Migrations;
using HamachiCloud.Protocol.Control;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace HamachiCloud.Api.Tests;

/// <summary>
/// The Api behind a load balancer (section <c>Proxy</c>): X-Forwarded-* is honoured only from a
/// configured proxy, and then bans, the hub, the audit log and rate limits see the client. The
/// direct peer's address is set with <see cref="TestClientAddress"/> (TestServer has none).
/// </summary>
public sealed class ForwardedHeadersTests
{
    private const string ProxyAddress = "192.0.2.10";
    private const string BannedRange = "198.51.100.0/24";
    private const string BannedClient = "198.51.100.7";
    private const string OtherClient = "203.0.113.5";

    private static Dictionary<string, string> TrustProxy(params (string Key, string Value)[] extra)
    {
        var settings = new Dictionary<string, string> { ["Proxy:KnownProxies:0"] = ProxyAddress };
        foreach (var (key, value) in extra)
        {
            settings[key] = value;
        }

        return settings;
    }

    /// <summary>GET /api/v1/me (401 when let through, the ban's 403 when not) from <paramref name="peer"/>.</summary>
    private static async Task<HttpResponseMessage> GetMeAsync(HttpClient http, string? peer, string? forwardedFor)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/me");
        AddAddresses(request, peer, forwardedFor);
        return await http.SendAsync(request);
    }

    private static void AddAddresses(HttpRequestMessage request, string? peer, string? forwardedFor)
    {
        if (peer is not null)
        {
            request.Headers.Add(TestClientAddress.Header, peer);
        }

        if (forwardedFor is not null)
        {
            request.Headers.Add("X-Forwarded-For", forwardedFor);
        }
    }

    private static async Task AssertBannedAsync(HttpResponseMessage response, string because)
    {
        Assert.True(response.StatusCode == HttpStatusCode.Forbidden, $"{because}: expected the ban's 403, got {(int)response.StatusCode}");
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(ErrorCodes.Banned, problem.GetProperty("code").GetString());
    }

    private static void AssertLetThrough(HttpResponseMessage response, string because) =>
        Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{because}: expected 401 (not banned, not signed in), got {(int)response.StatusCode}");

    [Fact]
    public async Task Without_configuration_forwarded_headers_are_ignored_whoever_sends_them()
    {
        await using var f = await ApiFactory.CreateAsync(DatabaseProvider.Sqlite);
        var staff = await TestUser.CreateStaffAsync(f);
        await staff.Client.CreateBanAsync(new(BannedRange, "abuse"));
        using var http = f.CreateClient();

        await AssertBannedAsync(await GetMeAsync(http, BannedClient, "203.0.113.77"), "a banned peer claiming another address");
        AssertLetThrough(await GetMeAsync(http, ProxyAddress, BannedClient), "a peer claiming a banned address");
        // ASP.NET Core trusts loopback by default; the Api does not unless configured.
        AssertLetThrough(await GetMeAsync(http, "127.0.0.1", BannedClient), "a loopback peer claiming a banned address");
        AssertLetThrough(await GetMeAsync(http, "::1", BannedClient), "an IPv6 loopback peer claiming a banned address");
    }

    [Theory]
    [InlineData("Proxy:KnownProxies:0", ProxyAddress)]
    [InlineData("Proxy:KnownNetworks:0", "192.0.2.0/24")]
    public async Task A_configured_proxy_forwards_the_client_address_to_the_ban_check(string key, string value)
    {
        await using var f = await ApiFactory.CreateAsync(DatabaseProvider.Sqlite, new Dictionary<string, string> { [key] = value });
        var staff = await TestUser.CreateStaffAsync(f);
        await staff.Client.CreateBanAsync(new(BannedRange, "abuse"));
        using var http = f.CreateClient();

        await AssertBannedAsync(await GetMeAsync(http, ProxyAddress, BannedClient), "forwarded for a banned client");
        AssertLetThrough(await GetMeAsync(http, ProxyAddress, OtherClient), "forwarded for another client");
        AssertLetThrough(await GetMeAsync(http, ProxyAddress, null), "the proxy's own request");

        // One hop: the entry the proxy appended (rightmost) is the client; what the client sent before it is not trusted.
        await AssertBannedAsync(await GetMeAsync(http, ProxyAddress, $"{OtherClient}, {BannedClient}"), "a banned client that sent its own X-Forwarded-For");
        AssertLetThrough(await GetMeAsync(http, ProxyAddress, $"{BannedClient}, {OtherClient}"), "a client that claims a banned address in its own header");

        // Only the configured proxy is believed.
        AssertLetThrough(await GetMeAsync(http, "203.0.113.9", BannedClient), "a peer that is not a proxy");
        await AssertBannedAsync(await GetMeAsync(http, BannedClient, OtherClient), "a banned peer that is not a proxy");
        AssertLetThrough(await GetMeAsync(http, null, BannedClient), "a peer without an address (Unix socket)");
    }

    [Fact]
    public async Task The_agent_hub_checks_bans_on_the_forwarded_address_over_a_WebSocket()
    {
        await using var f = await ApiFactory.CreateAsync(DatabaseProvider.Sqlite, TrustProxy());
        var user = await TestUser.CreateAsync(f);
        var staff = await TestUser.CreateStaffAsync(f);
        await using var refused = await TestAgent.EnrolWithSetupKeyAsync(f, user, "refused");
        await using var live = await TestAgent.EnrolWithSetupKeyAsync(f, user, "live");
        await using var bystander = await TestAgent.EnrolWithSetupKeyAsync(f, user, "bystander");

        // A live session forwarded for 203.0.113.77: its observed endpoint is the client's, not the proxy's.
        await live.ConnectAsync(f, ProxyAddress, webSocket: true, headers: new Dictionary<string, string> { ["X-Forwarded-For"] = "203.0.113.77" });
        await live.HelloAsync();
        Assert.True((await live.LoginAsync()).Ok);
        await live.Connection.InvokeAsync(nameof(IAgentHub.ReportDiscovery), new DiscoveryReport([], 41641));
        await bystander.ConnectAsync(f, ProxyAddress, webSocket: true, headers: new Dictionary<string, string> { ["X-Forwarded-For"] = "192.0.2.77" });
        await bystander.HelloAsync();
        Assert.True((await bystander.LoginAsync()).Ok);
        await using (var scope = f.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<Data.HamachiDbContext>();
            Assert.Equal("203.0.113.77:41641", (await db.Devices.SingleAsync(d => d.Id == live.DeviceId)).Endpoints);
        }

        // Login from a banned client through the proxy: one WebSocket request, so only the hub's own check can refuse it.
        await refused.ConnectAsync(f, ProxyAddress, webSocket: true, headers: new Dictionary<string, string> { ["X-Forwarded-For"] = BannedClient });
        await refused.HelloAsync();
        await staff.Client.CreateBanAsync(new(BannedRange, "abuse"));
        Assert.Equal(LoginErrors.Banned, (await refused.LoginAsync()).ErrorCode);

        // The session enforcer ends the live session once its forwarded range is banned, not the bystander's (same proxy).
        await staff.Client.CreateBanAsync(new("203.0.113.0/24", "abuse from this range"));
        await live.WaitUntilAsync(a => a.Closed, "the banned session to close", TimeSpan.FromSeconds(5));
        Assert.Equal(LoginErrors.Banned, Assert.Single(live.Goodbyes).Code);
        Assert.False(bystander.Closed);
    }

    [Fact]
    public async Task The_audit_log_records_the_forwarded_client_address()
    {
        await using var f = await ApiFactory.CreateAsync(DatabaseProvider.Sqlite, TrustProxy());
        using var http = f.CreateClient();
        var forwarded = await RegisterAsync(http, ProxyAddress, "203.0.113.44");
        var spoofed = await RegisterAsync(http, "203.0.113.9", "203.0.113.45");

        await using var scope = f.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<Data.HamachiDbContext>();
        var events = await db.AuditEvents.Where(e => e.Action == "account.registered").ToListAsync();
        Assert.Equal("203.0.113.44", events.Single(e => e.TargetId == forwarded.ToString()).IpAddress);
        Assert.Equal("203.0.113.9", events.Single(e => e.TargetId == spoofed.ToString()).IpAddress);
    }

    [Fact]
    public async Task Registrations_are_rate_limited_per_forwarded_client_not_per_proxy()
    {
        await using var f = await ApiFactory.CreateAsync(DatabaseProvider.Sqlite, TrustProxy(("RateLimits:RegistrationsPerMinute", "1")));
        using var http = f.CreateClient();

        Assert.Equal(HttpStatusCode.Created, await RegisterStatusAsync(http, ProxyAddress, "203.0.113.1"));
        Assert.Equal(HttpStatusCode.TooManyRequests, await RegisterStatusAsync(http, ProxyAddress, "203.0.113.1"));
        Assert.Equal(HttpStatusCode.Created, await RegisterStatusAsync(http, ProxyAddress, "203.0.113.2"));

        // A peer that is not a proxy cannot escape its limit by claiming new addresses.
        Assert.Equal(HttpStatusCode.Created, await RegisterStatusAsync(http, "203.0.113.9", "203.0.113.3"));
        Assert.Equal(HttpStatusCode.TooManyRequests, await RegisterStatusAsync(http, "203.0.113.9", "203.0.113.4"));
    }

    [Theory]
    [InlineData(ProxyAddress, "false", "https://localhost/")]
    [InlineData(ProxyAddress, "true", "https://api.example.test/")]
    [InlineData("203.0.113.9", "true", "http://localhost/")]
    public async Task Scheme_and_host_come_from_a_configured_proxy_only(string peer, string forwardHost, string issuer)
    {
        await using var f = await ApiFactory.CreateAsync(DatabaseProvider.Sqlite, TrustProxy(("Proxy:ForwardHost", forwardHost)));
        using var http = f.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/.well-known/openid-configuration");
        AddAddresses(request, peer, OtherClient);
        request.Headers.Add("X-Forwarded-Proto", "https");
        request.Headers.Add("X-Forwarded-Host", "api.example.test");
        using var response = await http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        var document = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(issuer, document.GetProperty("issuer").GetString());
    }

    private static async Task<HttpStatusCode> RegisterStatusAsync(HttpClient http, string peer, string forwardedFor)
    {
        using var response = await SendRegisterAsync(http, peer, forwardedFor);
        return response.StatusCode;
    }

    private static async Task<Guid> RegisterAsync(HttpClient http, string peer, string forwardedFor)
    {
        using var response = await SendRegisterAsync(http, peer, forwardedFor);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    private static Task<HttpResponseMessage> SendRegisterAsync(HttpClient http, string peer, string forwardedFor)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/accounts/register")
        {
            Content = JsonContent.Create(new RegisterRequest($"user-{Guid.NewGuid():N}@example.test", "correct horse battery staple")),
        };
        AddAddresses(request, peer, forwardedFor);
        return http.SendAsync(request);
    }
}
