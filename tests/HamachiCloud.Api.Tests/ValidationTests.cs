using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using HamachiCloud.Api.Contracts;
using HamachiCloud.Api.Contracts.Client;
using HamachiCloud.Api.Contracts.Networks;
using HamachiCloud.Protocol.Networks;

namespace HamachiCloud.Api.Tests;

/// <summary>Bad requests get problem-details 400s with a stable code, never 500s; on both providers.</summary>
public abstract class ValidationTests(ApiWorld world)
{
    public static TheoryData<string, string, string> BadBodies => new()
    {
        { "POST", "/api/v1/networks", "{\"name\": \"x\"" },                       // truncated JSON
        { "POST", "/api/v1/networks", "not json at all" },
        { "POST", "/api/v1/networks", "{\"name\": 123}" },                        // wrong type
        { "POST", "/api/v1/networks", "{\"name\": \"ok\", \"type\": \"star\"}" },  // unknown enum value
        { "POST", "/api/v1/networks", "{\"name\": \"ok\", \"type\": 1}" },         // enum as number
        { "POST", "/api/v1/networks", "{\"name\": \"ok\", \"colour\": \"red\"}" }, // unknown member
        { "POST", "/api/v1/networks", "[]" },
        { "POST", "/api/v1/networks", "" },                                       // no body
        { "POST", "/api/v1/networks/join", "{\"networkId\": {}}" },
        { "PATCH", "/api/v1/networks/00000000-0000-0000-0000-000000000001", "{\"locked\": \"yes\"}" },
    };

    [SkippableTheory]
    [MemberData(nameof(BadBodies))]
    public async Task Malformed_bodies_get_a_400_problem_with_a_code(string method, string path, string body)
    {
        var f = await world.GetAsync();
        var user = await TestUser.CreateAsync(f);
        using var http = f.CreateClient();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", user.Tokens.AccessToken);
        using var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        using var response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(400, problem.GetProperty("status").GetInt32());
        Assert.Contains(problem.GetProperty("code").GetString(), new[] { ErrorCodes.MalformedRequest, ErrorCodes.ValidationFailed });
    }

    [SkippableFact]
    public async Task Rule_violations_name_the_field()
    {
        var f = await world.GetAsync();
        var user = await TestUser.CreateAsync(f);

        var tooLong = await Assert.ThrowsAsync<HamachiApiException>(() => user.Client.CreateNetworkAsync(new CreateNetworkRequest(new string('n', 65))));
        Assert.Equal((400, ErrorCodes.ValidationFailed), (tooLong.Status, tooLong.Code));
        Assert.Contains("at most 64", Assert.Single(tooLong.Problem.Errors!["name"]), StringComparison.Ordinal);

        Assert.Equal(64, (await user.Client.CreateNetworkAsync(new CreateNetworkRequest(new string('n', 64)))).Name.Length);

        var blank = await Assert.ThrowsAsync<HamachiApiException>(() => user.Client.CreateNetworkAsync(new CreateNetworkRequest("   ")));
        Assert.True(blank.Problem.Errors!.ContainsKey("name"));

        // A right-to-left override or a zero-width space makes a name read as something else (issue 12, item 11).
        foreach (var disguised in new[] { "invoice‮gpj.exe", "ad​min", "⁦lan⁩" })
        {
            var refused = await Assert.ThrowsAsync<HamachiApiException>(() => user.Client.CreateNetworkAsync(new CreateNetworkRequest(disguised)));
            Assert.Contains("invisible formatting", Assert.Single(refused.Problem.Errors!["name"]), StringComparison.Ordinal);
        }

        var policy = await Assert.ThrowsAsync<HamachiApiException>(() => user.Client.CreateNetworkAsync(new CreateNetworkRequest("p", JoinPolicy: JoinPolicy.Password)));
        Assert.True(policy.Problem.Errors!.ContainsKey("password"));

        var badId = await Assert.ThrowsAsync<HamachiApiException>(() => user.Client.JoinNetworkAsync(new JoinNetworkRequest("12-34")));
        Assert.Equal(400, badId.Status);
        Assert.True(badId.Problem.Errors!.ContainsKey("networkId"));

        var unknown = await Assert.ThrowsAsync<HamachiApiException>(() => user.Client.JoinNetworkAsync(new JoinNetworkRequest("000-000-001")));
        Assert.Equal((404, ErrorCodes.NotFound), (unknown.Status, unknown.Code));
    }

    [SkippableFact]
    public async Task Invalid_cidrs_are_400s_and_bans_need_support_staff()
    {
        var f = await world.GetAsync();
        var user = await TestUser.CreateAsync(f);
        var notStaff = await Assert.ThrowsAsync<HamachiApiException>(() => user.Client.CreateBanAsync(new("198.51.100.0/24", "abuse")));
        Assert.Equal(403, notStaff.Status);

        var staff = await TestUser.CreateStaffAsync(f);
        foreach (var cidr in new[] { "198.51.100.0/33", "300.1.1.1/8", "not-a-cidr", "", "2001:db8::/129" })
        {
            var bad = await Assert.ThrowsAsync<HamachiApiException>(() => staff.Client.CreateBanAsync(new(cidr, "abuse")));
            Assert.Equal((400, ErrorCodes.ValidationFailed), (bad.Status, bad.Code));
            Assert.True(bad.Problem.Errors!.ContainsKey("cidr"), cidr);
        }

        var ban = await staff.Client.CreateBanAsync(new("2001:db8::/32", "test", 1));
        Assert.Equal("2001:db8::/32", ban.Cidr);
        Assert.Contains(await staff.Client.ListBansAsync(), b => b.Id == ban.Id);
        await staff.Client.DeleteBanAsync(ban.Id);
    }

    [SkippableFact]
    public async Task Requests_without_credentials_get_a_401_problem()
    {
        var f = await world.GetAsync();
        using var http = f.CreateClient();
        using var response = await http.GetAsync("/api/v1/networks");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(ErrorCodes.Unauthorized, problem.GetProperty("code").GetString());

        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "forged.token.value");
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync("/api/v1/me")).StatusCode);
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "hc_pat_notarealtoken");
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync("/api/v1/me")).StatusCode);
    }
}

public sealed class SqliteValidationTests(SqliteWorld world) : ValidationTests(world), IClassFixture<SqliteWorld>;

public sealed class PostgresValidationTests(PostgresWorld world) : ValidationTests(world), IClassFixture<PostgresWorld>;
