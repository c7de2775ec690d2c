using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using HamachiCloud.Api.Contracts.Accounts;
using HamachiCloud.Api.Contracts.Client;

namespace HamachiCloud.Api.Tests;

/// <summary>Every answer carries X-Correlation-Id (the caller's when valid), and every problem body the same id.</summary>
public sealed class CorrelationIdTests(SqliteWorld world) : IClassFixture<SqliteWorld>
{
    [Fact]
    public async Task A_valid_incoming_id_is_kept_in_the_header_and_the_problem_body()
    {
        var f = await world.GetAsync();
        using var http = f.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/no-such-thing");
        request.Headers.Add("X-Correlation-Id", "portal.Req_42-a");
        using var response = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("portal.Req_42-a", Assert.Single(response.Headers.GetValues("X-Correlation-Id")));
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("portal.Req_42-a", body.GetProperty("correlationId").GetString());
    }

    [Theory]
    [InlineData("has space")]
    [InlineData("semi;colon")]
    [InlineData("ünïcode")]
    [InlineData("0123456789012345678901234567890123456789012345678901234567890123456789")]
    public async Task An_invalid_incoming_id_is_replaced(string sent)
    {
        var f = await world.GetAsync();
        using var http = f.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/accounts/register") { Content = JsonContent.Create(new { email = "x" }) };
        request.Headers.TryAddWithoutValidation("X-Correlation-Id", sent);
        using var response = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var id = Assert.Single(response.Headers.GetValues("X-Correlation-Id"));
        Assert.NotEqual(sent, id);
        Assert.Matches("^[a-z2-9]{12}$", id);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(id, body.GetProperty("correlationId").GetString());
    }

    [Fact]
    public async Task Each_request_gets_its_own_id_and_the_typed_client_reports_it()
    {
        var f = await world.GetAsync();
        var anonymous = new HamachiClient(f.CreateClient());
        var first = await Assert.ThrowsAsync<HamachiApiException>(() => anonymous.RegisterAsync(new RegisterRequest("not-an-email", "long enough password")));
        var second = await Assert.ThrowsAsync<HamachiApiException>(() => anonymous.GetMeAsync()); // a status-code problem (401)
        Assert.Equal(401, second.Status);
        Assert.Matches("^[a-z2-9]{12}$", first.Problem.CorrelationId);
        Assert.Matches("^[a-z2-9]{12}$", second.Problem.CorrelationId);
        Assert.NotEqual(first.Problem.CorrelationId, second.Problem.CorrelationId);

        using var http = f.CreateClient();
        using var ok = await http.GetAsync("/health");
        Assert.Matches("^[a-z2-9]{12}$", Assert.Single(ok.Headers.GetValues("X-Correlation-Id")));
    }
}
