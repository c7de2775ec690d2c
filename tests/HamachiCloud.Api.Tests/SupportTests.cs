using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using HamachiCloud.Api.Contracts;
using HamachiCloud.Api.Contracts.Audit;
using HamachiCloud.Api.Contracts.Client;
using HamachiCloud.Api.Contracts.Networks;
using HamachiCloud.Api.Contracts.Support;
using HamachiCloud.Api.Jobs;
using HamachiCloud.Data.Entities;
using HamachiCloud.Protocol.Networks;
using HamachiCloud.Protocol.Control;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace HamachiCloud.Api.Tests;

/// <summary>
/// Issue 14, item 1: the support console's Api. Search by every kind of query, the account page (sign-ins with
/// addresses, bans that touch it), and the actions with a required reason: disable (sign-in, tokens and the agents'
/// sessions refused), re-enable, end sessions, revoke a device. Staff only, route by route.
/// </summary>
public abstract class SupportTests(ApiWorld world)
{
    private const string Home = "203.0.113.77";

    [SkippableFact]
    public async Task Search_finds_accounts_networks_and_devices_by_email_name_network_id_addresses_and_key()
    {
        var f = await world.GetAsync();
        var staff = await TestUser.CreateStaffAsync(f);
        var name = "Zebra" + Guid.NewGuid().ToString("N")[..8];
        var customer = await TestUser.CreateAsync(f, name);
        var net = await customer.Client.CreateNetworkAsync(new CreateNetworkRequest(name + " lan", JoinPolicy: JoinPolicy.Open));
        await using var agent = await TestAgent.EnrolAsync(customer.Client, name + "-laptop");
        var device = (await customer.Client.ListDevicesAsync()).Single();
        await SignInFromAsync(f, customer, Home);

        var byEmail = await staff.Client.SupportSearchAsync(customer.Email.ToUpperInvariant()[..20]);
        Assert.Contains(byEmail.Accounts, a => a.Id == customer.Id);
        var byName = await staff.Client.SupportSearchAsync(name.ToLowerInvariant());
        Assert.Contains(byName.Accounts, a => a.Id == customer.Id);
        Assert.Equal(net.Id, Assert.Single(byName.Networks).Id);
        Assert.Equal(device.Id, Assert.Single(byName.Devices).Id);

        var byNetworkId = await staff.Client.SupportSearchAsync(net.NetworkId);
        Assert.Equal((net.Id, customer.Id, customer.Email, "Free"), (Assert.Single(byNetworkId.Networks).Id, byNetworkId.Networks[0].OwnerId, byNetworkId.Networks[0].OwnerEmail, byNetworkId.Networks[0].Plan));
        Assert.Equal(device.Id, Assert.Single((await staff.Client.SupportSearchAsync(device.VirtualIPv4)).Devices).Id);
        Assert.Equal(device.Id, Assert.Single((await staff.Client.SupportSearchAsync(device.VirtualIPv6)).Devices).Id);
        Assert.Equal(device.Id, Assert.Single((await staff.Client.SupportSearchAsync("nodekey:" + device.NodeKey)).Devices).Id);
        Assert.Equal(device.Id, Assert.Single((await staff.Client.SupportSearchAsync(device.NodeKey.ToUpperInvariant())).Devices).Id);
        Assert.Contains((await staff.Client.SupportSearchAsync(Home)).Accounts, a => a.Id == customer.Id); // the public address it signed in from
        Assert.Equal(customer.Id, Assert.Single((await staff.Client.SupportSearchAsync(customer.Id.ToString())).Accounts).Id);
        var nothing = await staff.Client.SupportSearchAsync("no-such-thing-" + Guid.NewGuid());
        Assert.Empty(nothing.Accounts.Concat<object>(nothing.Networks).Concat(nothing.Devices));

        var blank = await Assert.ThrowsAsync<HamachiApiException>(() => staff.Client.SupportSearchAsync("  "));
        Assert.Equal((400, ErrorCodes.ValidationFailed), (blank.Status, blank.Code));
        Assert.True(blank.Problem.Errors!.ContainsKey("q"));
        Assert.Equal(403, (await Assert.ThrowsAsync<HamachiApiException>(() => customer.Client.SupportSearchAsync(customer.Email))).Status);
    }

    [SkippableFact]
    public async Task The_account_page_shows_plans_networks_devices_sign_ins_with_addresses_and_the_bans_that_touch_it()
    {
        var f = await world.GetAsync();
        var staff = await TestUser.CreateStaffAsync(f);
        var customer = await TestUser.CreateAsync(f, "customer");
        var net = await customer.Client.CreateNetworkAsync(new CreateNetworkRequest("shop", JoinPolicy: JoinPolicy.Open));
        await using var agent = await TestAgent.EnrolAsync(customer.Client, "desk");
        await TestPlans.GrantAsync(f, net.Id, Plan.PremiumId, staff);
        await SignInFromAsync(f, customer, Home);
        await FailSignInFromAsync(f, customer.Email, "198.51.100.9");
        using (var scope = f.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<Data.HamachiDbContext>();
            var now = TimeProvider.System.GetUtcNow();
            db.Bans.AddRange(
                new Ban { Id = Guid.NewGuid(), Kind = BanKind.Range, Cidr = "203.0.113.0/24", Reason = "spam from here", CreatedAt = now, UpdatedAt = now },
                new Ban { Id = Guid.NewGuid(), Kind = BanKind.Device, DeviceId = agent.DeviceId, Reason = "device abuse", CreatedAt = now, UpdatedAt = now },
                new Ban { Id = Guid.NewGuid(), Kind = BanKind.Range, Cidr = "192.0.2.0/24", Reason = "elsewhere", CreatedAt = now, UpdatedAt = now });
            await db.SaveChangesAsync();
        }

        var page = await staff.Client.GetSupportAccountAsync(customer.Id);
        Assert.Equal((customer.Id, customer.Email, (DateTimeOffset?)null), (page.Account.Id, page.Account.Email, page.Account.DisabledAt));
        Assert.Equal(net.Id, Assert.Single(page.Networks).Id);
        Assert.Equal("Premium", page.Networks[0].Plan);
        Assert.Contains(page.Plans, p => p.PlanId == Plan.PremiumId && p.NetworkId == net.Id && p.Source == "Grant");
        Assert.Equal(agent.DeviceId, Assert.Single(page.Devices).Id);
        Assert.Contains(page.SignIns, s => s.Action == "account.signed_in" && s.IpAddress == Home && s.ActorUserId == customer.Id);
        Assert.Contains(page.SignIns, s => s.Action == "account.sign_in_failed" && s.IpAddress == "198.51.100.9" && s.Details == "wrong password");
        Assert.Equal(["device abuse", "spam from here"], page.Bans.Select(b => b.Reason).Order());
        Assert.Contains(Home, page.Bans.Single(b => b.Kind == "Range").Why, StringComparison.Ordinal);

        Assert.Equal(403, (await Assert.ThrowsAsync<HamachiApiException>(() => customer.Client.GetSupportAccountAsync(customer.Id))).Status);
        Assert.Equal(404, (await Assert.ThrowsAsync<HamachiApiException>(() => staff.Client.GetSupportAccountAsync(Guid.NewGuid()))).Status);
    }

    [SkippableFact]
    public async Task A_disabled_account_cannot_sign_in_call_the_api_or_keep_its_agents_until_re_enabled()
    {
        var f = await world.GetAsync();
        var staff = await TestUser.CreateStaffAsync(f);
        var customer = await TestUser.CreateAsync(f, "abuser");
        await using var agent = await TestAgent.EnrolAsync(customer.Client, "bot");
        Assert.True((await agent.ConnectAndLoginAsync(f)).Ok);
        var personal = await customer.Client.CreateApiTokenAsync(new Contracts.Accounts.CreateApiTokenRequest("script", ["read"]));

        foreach (var reason in new[] { "", "  " })
        {
            var noReason = await Assert.ThrowsAsync<HamachiApiException>(() => staff.Client.DisableAccountAsync(customer.Id, new SupportActionRequest(reason)));
            Assert.Equal((400, ErrorCodes.ValidationFailed), (noReason.Status, noReason.Code));
            Assert.True(noReason.Problem.Errors!.ContainsKey("reason"));
        }

        Assert.Equal(403, (await Assert.ThrowsAsync<HamachiApiException>(() =>
            customer.Client.DisableAccountAsync(staff.Id, new SupportActionRequest("revenge")))).Status);
        await customer.Client.GetMeAsync(); // nothing happened yet

        var disabled = await staff.Client.DisableAccountAsync(customer.Id, new SupportActionRequest("phishing pages on a relay"));
        Assert.NotNull(disabled.Account.DisabledAt);
        Assert.Equal("phishing pages on a relay", disabled.DisabledReason);

        // Its OAuth token (revoked), its personal token (account disabled) and its refresh token all stop.
        Assert.True((await Assert.ThrowsAsync<HamachiApiException>(() => customer.Client.GetMeAsync())).Status is 401 or 403);
        var script = new HamachiClient(f.CreateClient());
        script.UseAccessToken(personal.Secret);
        Assert.Equal(403, (await Assert.ThrowsAsync<HamachiApiException>(() => script.GetMeAsync())).Status);
        var refresh = await f.CreateClient().PostAsync("/connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "refresh_token",
            ["client_id"] = "hamachi-portal",
            ["refresh_token"] = customer.Tokens.RefreshToken!,
        }));
        Assert.Equal(HttpStatusCode.BadRequest, refresh.StatusCode);

        // Its agent's session ends with the reason, and a new login is refused.
        await agent.WaitUntilAsync(a => a.Goodbyes.Count > 0, "goodbye", TimeSpan.FromSeconds(30));
        Assert.Equal(LoginErrors.AccountDisabled, agent.Goodbyes[0].Code);
        await agent.ConnectAsync(f);
        await agent.HelloAsync();
        var relogin = await agent.LoginAsync();
        Assert.Equal((false, LoginErrors.AccountDisabled), (relogin.Ok, relogin.ErrorCode));
        Assert.Contains("phishing pages on a relay", relogin.Error, StringComparison.Ordinal);

        // The sign-in page says so to whoever knows the password, and records the attempt.
        using var browser = OAuthFlows.Browser(f);
        var login = await OAuthFlows.LoginAsync(browser, customer.Email, customer.Password);
        Assert.Equal(HttpStatusCode.Forbidden, login.StatusCode);
        Assert.Contains("phishing pages on a relay", await login.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains((await staff.Client.GetSupportAccountAsync(customer.Id)).SignIns, s => s.Action == "account.sign_in_failed" && s.Details == "account disabled");

        var enabled = await staff.Client.EnableAccountAsync(customer.Id, new SupportActionRequest("appeal accepted"));
        Assert.Null(enabled.Account.DisabledAt);
        var tokens = await OAuthFlows.SignInWithCodeAsync(f, customer.Email, customer.Password);
        var back = new HamachiClient(f.CreateClient());
        back.UseAccessToken(tokens.AccessToken);
        Assert.Equal(customer.Id, (await back.GetMeAsync()).Id);
        await agent.ConnectAsync(f);
        await agent.HelloAsync();
        Assert.True((await agent.LoginAsync()).Ok);

        var audit = await staff.Client.ListAuditAsync(new AuditFilter(Action: "support", ActorId: staff.Id));
        Assert.Contains(audit.Events, e => e.Action == "support.account_disabled" && e.TargetId == customer.Id.ToString() && e.Details == "phishing pages on a relay");
        Assert.Contains(audit.Events, e => e.Action == "support.account_enabled" && e.Details == "appeal accepted");
    }

    [SkippableFact]
    public async Task Staff_end_all_sessions_and_revoke_a_device_with_a_reason()
    {
        var f = await world.GetAsync();
        var staff = await TestUser.CreateStaffAsync(f);
        var customer = await TestUser.CreateAsync(f, "stolen");
        await using var agent = await TestAgent.EnrolAsync(customer.Client, "stolen-laptop");
        Assert.True((await agent.ConnectAndLoginAsync(f)).Ok);

        Assert.Equal(400, (await Assert.ThrowsAsync<HamachiApiException>(() => staff.Client.EndAccountSessionsAsync(customer.Id, new SupportActionRequest("")))).Status);
        await staff.Client.EndAccountSessionsAsync(customer.Id, new SupportActionRequest("customer reports a stolen laptop"));
        Assert.Equal(401, (await Assert.ThrowsAsync<HamachiApiException>(() => customer.Client.GetMeAsync())).Status);

        Assert.Equal(400, (await Assert.ThrowsAsync<HamachiApiException>(() => staff.Client.RevokeDeviceAsStaffAsync(agent.DeviceId, new SupportActionRequest(" ")))).Status);
        Assert.Equal(404, (await Assert.ThrowsAsync<HamachiApiException>(() => staff.Client.RevokeDeviceAsStaffAsync(Guid.NewGuid(), new SupportActionRequest("x")))).Status);
        await staff.Client.RevokeDeviceAsStaffAsync(agent.DeviceId, new SupportActionRequest("stolen"));
        await agent.WaitUntilAsync(a => a.Goodbyes.Count > 0, "goodbye", TimeSpan.FromSeconds(30));
        Assert.Empty((await staff.Client.GetSupportAccountAsync(customer.Id)).Devices);

        var events = (await staff.Client.ListAuditAsync(new AuditFilter(ActorId: staff.Id, Action: "support"))).Events;
        Assert.Contains(events, e => e.Action == "support.sessions_ended" && e.Details!.Contains("stolen laptop", StringComparison.Ordinal));
        Assert.Contains(events, e => e.Action == "support.device_revoked" && e.TargetId == agent.DeviceId.ToString() && e.Details!.EndsWith(": stolen", StringComparison.Ordinal));
    }

    /// <summary>
    /// Every staff route (from the Api's own endpoint list: /api/v1/support, /api/v1/admin, /api/v1/bans) answers 403 to a
    /// signed-in account that is not staff, whatever the body; so a new route without the staff check fails here.
    /// </summary>
    [SkippableFact]
    public async Task A_non_staff_user_gets_403_on_every_staff_route()
    {
        var f = await world.GetAsync();
        var user = await TestUser.CreateAsync(f, "curious");
        var routes = StaffRoutes(f);
        Assert.Contains(routes, r => r.Path.StartsWith("/api/v1/support/", StringComparison.Ordinal));
        Assert.Contains(routes, r => r.Path.StartsWith("/api/v1/admin/", StringComparison.Ordinal));
        Assert.True(routes.Count >= 10, string.Join(", ", routes));

        using var http = f.CreateClient();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", user.Tokens.AccessToken);
        var failures = new List<string>();
        foreach (var (method, path) in routes)
        {
            using var request = new HttpRequestMessage(new HttpMethod(method), path);
            if (method is "POST" or "PUT" or "PATCH")
            {
                request.Content = JsonContent.Create(new { });
            }

            using var response = await http.SendAsync(request);
            if (response.StatusCode != HttpStatusCode.Forbidden)
            {
                failures.Add($"{method} {path}: {(int)response.StatusCode}");
            }
        }

        Assert.Empty(failures);
    }

    [SkippableFact]
    public async Task The_jobs_dashboard_is_for_staff_only_and_lists_every_recurring_job()
    {
        var f = await world.GetAsync();
        var user = await TestUser.CreateAsync(f, "visitor");
        var staff = await TestUser.CreateStaffAsync(f);

        using var anonymous = OAuthFlows.Browser(f);
        var redirected = await anonymous.GetAsync("/jobs/recurring");
        Assert.Equal(HttpStatusCode.Redirect, redirected.StatusCode);
        Assert.StartsWith("/account/login", redirected.Headers.Location!.ToString(), StringComparison.Ordinal);

        using var signedIn = OAuthFlows.Browser(f);
        Assert.Equal(HttpStatusCode.Redirect, (await OAuthFlows.LoginAsync(signedIn, user.Email, user.Password)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await signedIn.GetAsync("/jobs")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await signedIn.GetAsync("/jobs/recurring")).StatusCode);
        using var bearer = f.CreateClient();
        bearer.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", user.Tokens.AccessToken);
        Assert.Equal(HttpStatusCode.Forbidden, (await bearer.GetAsync("/jobs/recurring")).StatusCode);
        bearer.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "nonsense");
        Assert.Equal(HttpStatusCode.Unauthorized, (await bearer.GetAsync("/jobs/recurring")).StatusCode);

        using var staffBrowser = OAuthFlows.Browser(f);
        Assert.Equal(HttpStatusCode.Redirect, (await OAuthFlows.LoginAsync(staffBrowser, staff.Email, staff.Password)).StatusCode);
        var page = await staffBrowser.GetAsync("/jobs/recurring");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var html = await page.Content.ReadAsStringAsync();
        foreach (var job in new[] { MaintenanceJobs.BanExpiryJobId, StaleDeviceJob.JobId, AuditRetentionJob.JobId, MaintenanceJobs.PathReportPruningJobId, MaintenanceJobs.TokenPruningJobId })
        {
            Assert.Contains(job, html, StringComparison.Ordinal);
        }
    }

    internal static List<(string Method, string Path)> StaffRoutes(ApiFactory f)
    {
        var prefixes = new[] { "/api/v1/support", "/api/v1/admin", "/api/v1/bans" };
        var routes = new List<(string, string)>();
        foreach (var endpoint in f.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>())
        {
            var raw = "/" + (endpoint.RoutePattern.RawText ?? "").TrimStart('/');
            if (!prefixes.Any(p => raw.StartsWith(p, StringComparison.OrdinalIgnoreCase)))
            {
                continue;
            }

            var path = System.Text.RegularExpressions.Regex.Replace(raw, @"\{[^}]+\}", m =>
                m.Value.Contains(":guid", StringComparison.Ordinal) || m.Value.Contains("id", StringComparison.OrdinalIgnoreCase) ? Guid.NewGuid().ToString() : "x");
            foreach (var method in endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET"])
            {
                routes.Add((method, path.TrimEnd('/')));
            }
        }

        return routes;
    }

    internal static async Task SignInFromAsync(ApiFactory f, TestUser user, string address)
    {
        using var browser = OAuthFlows.Browser(f);
        browser.DefaultRequestHeaders.Add(TestClientAddress.Header, address);
        Assert.Equal(HttpStatusCode.Redirect, (await OAuthFlows.LoginAsync(browser, user.Email, user.Password)).StatusCode);
    }

    internal static async Task FailSignInFromAsync(ApiFactory f, string email, string address)
    {
        using var browser = OAuthFlows.Browser(f);
        browser.DefaultRequestHeaders.Add(TestClientAddress.Header, address);
        Assert.Equal(HttpStatusCode.Unauthorized, (await OAuthFlows.LoginAsync(browser, email, "not the password at all")).StatusCode);
    }
}

public sealed class SqliteSupportTests(SqliteWorld world) : SupportTests(world), IClassFixture<SqliteWorld>;

public sealed class PostgresSupportTests(PostgresWorld world) : SupportTests(world), IClassFixture<PostgresWorld>;
