using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using HamachiCloud.Api.Contracts.Accounts;
using HamachiCloud.Api.Contracts.Client;
using HamachiCloud.Migrations;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

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

    [Fact]
    public async Task Logs_written_during_a_request_carry_its_correlation_id_and_the_mail_path()
    {
        var capture = new ScopeCapture();
        await using var f = await ApiFactory.CreateAsync(DatabaseProvider.Sqlite, new Dictionary<string, string>
        {
            ["Logging:LogLevel:HamachiCloud.Api.Mail"] = "Information",
        });
        f.ConfigureTestServices = s => s.AddSingleton<ILoggerProvider>(capture);
        using var http = f.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/accounts/register")
        {
            Content = JsonContent.Create(new RegisterRequest($"logged-{Guid.NewGuid():N}@example.test", "long enough password")),
        };
        request.Headers.Add("X-Correlation-Id", "trace-me-7");
        using var response = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);

        var entry = Assert.Single(capture.Entries, e => e.Category == "HamachiCloud.Api.Mail.MailSender");
        Assert.Equal("trace-me-7", entry.CorrelationId);
        var file = Assert.Single(Directory.GetFiles(f.MailDirectory, "*.eml"));
        Assert.Contains(file, entry.Message, StringComparison.Ordinal);
    }

    /// <summary>Keeps Information entries with the <c>CorrelationId</c> of their logging scope.</summary>
    private sealed class ScopeCapture : ILoggerProvider, ISupportExternalScope
    {
        private readonly System.Collections.Concurrent.ConcurrentQueue<(string Category, string Message, string? CorrelationId)> _entries = new();
        private IExternalScopeProvider _scopes = new LoggerExternalScopeProvider();

        public IReadOnlyList<(string Category, string Message, string? CorrelationId)> Entries => [.. _entries];

        public ILogger CreateLogger(string categoryName) => new Logger(categoryName, this);

        public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

        public void Dispose()
        {
        }

        private sealed class Logger(string category, ScopeCapture owner) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => owner._scopes.Push(state);

            public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                string? id = null;
                owner._scopes.ForEachScope(
                    (scope, _) =>
                    {
                        if (scope is IEnumerable<KeyValuePair<string, object>> values && values.FirstOrDefault(v => v.Key == "CorrelationId").Value is string found)
                        {
                            id = found;
                        }
                    },
                    (object?)null);
                owner._entries.Enqueue((category, formatter(state, exception), id));
            }
        }
    }
}
