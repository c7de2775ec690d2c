using System.Net;
using HamachiCloud.Migrations;
using HamachiCloud.Testing;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace HamachiCloud.Api.Tests;

/// <summary>How the Api starts: backplane choice, configuration errors named at start.</summary>
public sealed class StartupTests
{
    private sealed class ProbeHub : Hub;

    [SkippableFact]
    public async Task With_Redis_configured_SignalR_uses_the_Redis_backplane()
    {
        var redis = Requires.Redis();
        await using var f = await ApiFactory.CreateAsync(DatabaseProvider.Sqlite, new Dictionary<string, string> { ["Redis:Connection"] = redis });
        using var http = f.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/health")).StatusCode);
        var manager = f.Services.GetRequiredService<HubLifetimeManager<ProbeHub>>();
        Assert.Equal("RedisHubLifetimeManager`1", manager.GetType().Name);

        // A message through the backplane round-trips Redis without error.
        await manager.SendAllAsync("probe", [1]);
    }

    [Fact]
    public async Task Without_Redis_SignalR_stays_in_memory()
    {
        await using var f = await ApiFactory.CreateAsync(DatabaseProvider.Sqlite);
        _ = f.Server;
        Assert.Equal("DefaultHubLifetimeManager`1", f.Services.GetRequiredService<HubLifetimeManager<ProbeHub>>().GetType().Name);
    }

    [Theory]
    [InlineData("true", 1)]
    [InlineData("false", 0)]
    public async Task Plain_http_for_the_identity_endpoints_is_warned_about_at_start(string allowHttp, int warnings)
    {
        var logs = new LogCapture();
        await using var f = await ApiFactory.CreateAsync(DatabaseProvider.Sqlite, new Dictionary<string, string> { ["Identity:AllowHttp"] = allowHttp });
        f.ConfigureTestServices = s => s.AddSingleton<Microsoft.Extensions.Logging.ILoggerProvider>(logs);
        _ = f.Server;
        Assert.Equal(warnings, logs.Warnings("Identity:AllowHttp is true").Count);
    }

    [Fact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public async Task The_SQLite_database_is_created_owner_only_in_an_owner_only_directory()
    {
        const UnixFileMode ownerReadWrite = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        var root = Directory.CreateTempSubdirectory("hamachi-modes-").FullName;
        try
        {
            var fresh = Path.Combine(root, "data", "hamachi.db");
            await using (var f = await ApiFactory.CreateAsync(DatabaseProvider.Sqlite, new Dictionary<string, string> { ["Database:ConnectionString"] = $"Data Source={fresh}" }))
            {
                _ = f.Server;
            }

            Assert.Equal(ownerReadWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(Path.GetDirectoryName(fresh)!));
            Assert.Equal(ownerReadWrite, File.GetUnixFileMode(fresh));

            // WAL mode (persistent in the file) so readers never make a writer fail with "database is locked".
            using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={fresh};Pooling=False"))
            {
                connection.Open();
                using var command = connection.CreateCommand();
                command.CommandText = "PRAGMA journal_mode;";
                Assert.Equal("wal", command.ExecuteScalar() as string);
            }

            // A database file readable by others (an older install's 0644) is narrowed at start.
            var old = Path.Combine(root, "old.db");
            File.WriteAllBytes(old, []);
            File.SetUnixFileMode(old, ownerReadWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
            await using (var f = await ApiFactory.CreateAsync(DatabaseProvider.Sqlite, new Dictionary<string, string> { ["Database:ConnectionString"] = $"Data Source={old}" }))
            {
                _ = f.Server;
            }

            Assert.Equal(ownerReadWrite, File.GetUnixFileMode(old));
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(root, recursive: true);
        }
    }

    [Theory]
    [InlineData("Addresses:IPv4Pool", "10.0.0.0/33", "Addresses:IPv4Pool")]
    [InlineData("Addresses:IPv6Prefix", "100.64.0.0/10", "Addresses:IPv6Prefix")]
    [InlineData("Identity:AccessTokenMinutes", "0", "Identity:AccessTokenMinutes")]
    [InlineData("Database:Provider", "Oracle", "Database")]
    [InlineData("Relays:BandwidthKbps", "-1", "Relays:BandwidthKbps")]
    [InlineData("Proxy:KnownProxies:0", "192.0.2.300", "Proxy:KnownProxies:0")]
    [InlineData("Proxy:KnownProxies:0", "10", "Proxy:KnownProxies:0")] // IPAddress.TryParse alone reads 0.0.0.10
    [InlineData("Proxy:KnownProxies:0", "192.0.2.0/24", "Proxy:KnownProxies:0")]
    [InlineData("Proxy:KnownNetworks:0", "198.51.100.1/24", "Proxy:KnownNetworks:0")]
    [InlineData("Proxy:KnownNetworks:0", "198.51.100.0/33", "Proxy:KnownNetworks:0")]
    [InlineData("Proxy:KnownNetworks:0", "198.51.100.0", "Proxy:KnownNetworks:0")]
    [InlineData("Proxy:ForwardLimit", "0", "Proxy:ForwardLimit")]
    [InlineData("Proxy:ForwardProto", "maybe", "Proxy")]
    [InlineData("ForwardedHeaders_Enabled", "true", "ForwardedHeaders_Enabled")] // the host's trust-everyone switch
    [InlineData("Billing:SecretKey", "pk_test_publishable", "Billing:SecretKey")] // a publishable key is not a secret key
    [InlineData("Billing:SecretKey", "sk_test_123", "Billing:WebhookSecret")] // payments without webhook verification
    [InlineData("Billing:GracePeriodDays", "-1", "Billing:GracePeriodDays")]
    [InlineData("Billing:ApiBase", "stripe.example", "Billing:ApiBase")]
    [InlineData("Billing:Plans:gold:MonthlyPriceId", "price_1", "Billing:Plans:gold")]
    public async Task A_bad_configuration_value_stops_the_start_naming_the_key(string key, string value, string named)
    {
        await using var f = await ApiFactory.CreateAsync(DatabaseProvider.Sqlite, new Dictionary<string, string> { [key] = value });
        var error = Assert.ThrowsAny<Exception>(() => f.Server);
        var messages = string.Join(" | ", Flatten(error).Select(e => e.Message));
        Assert.Contains(named, messages, StringComparison.Ordinal);
    }

    private static IEnumerable<Exception> Flatten(Exception e)
    {
        for (Exception? x = e; x is not null; x = x.InnerException)
        {
            yield return x;
            if (x is AggregateException a)
            {
                foreach (var inner in a.InnerExceptions.SelectMany(Flatten))
                {
                    yield return inner;
                }
            }
        }
    }
}
