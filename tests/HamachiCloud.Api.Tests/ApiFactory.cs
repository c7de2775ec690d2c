using HamachiCloud.Migrations;
using HamachiCloud.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace HamachiCloud.Api.Tests;

/// <summary>
/// The real Api in memory on a real database: a fresh SQLite file or a fresh PostgreSQL
/// database, its own token keys, migrations applied at start exactly as in production.
/// </summary>
public sealed class ApiFactory : WebApplicationFactory<Program>
{
    private readonly DatabaseProvider _provider;
    private readonly string _connectionString;
    private readonly string _directory;
    private readonly IReadOnlyDictionary<string, string> _settings;
    private PostgresDatabase? _postgres;
    private bool _ownsDirectory = true;

    private ApiFactory(DatabaseProvider provider, string connectionString, string directory, PostgresDatabase? postgres, IReadOnlyDictionary<string, string>? settings, bool ownsDirectory = true)
    {
        _ownsDirectory = ownsDirectory;
        _settings = settings ?? new Dictionary<string, string>();
        _provider = provider;
        _connectionString = connectionString;
        _directory = directory;
        _postgres = postgres;
    }

    /// <summary>The relay registration secret every test Api uses (<c>Relays:RegistrationSecret</c>).</summary>
    public const string RelaySecret = "test-relay-secret-0123456789";

    public DatabaseProvider Provider => _provider;

    /// <summary>The directory holding the server identity key (<c>Identity:KeyDirectory</c>).</summary>
    public string KeyDirectory => Path.Combine(_directory, "keys");

    /// <summary>Where the Api writes its mails as .eml files (<c>Mail:PickupDirectory</c>).</summary>
    public string MailDirectory => Path.Combine(_directory, "mail");

    /// <summary>
    /// A second Api node of the same deployment: same database and key directory (so the same
    /// server identity and token keys), its own settings (e.g. the same Redis). Dispose it before the first.
    /// </summary>
    public ApiFactory CreateSecondNode(IReadOnlyDictionary<string, string>? settings = null) =>
        new(_provider, _connectionString, _directory, null, settings ?? _settings, ownsDirectory: false);

    /// <summary>
    /// The same deployment after a restart: same database and key directory, which the successor
    /// now owns (this instance's dispose keeps them). Dispose this one, then start the successor.
    /// </summary>
    public ApiFactory CreateSuccessor()
    {
        var successor = new ApiFactory(_provider, _connectionString, _directory, _postgres, _settings, _ownsDirectory)
        {
            ConfigureTestServices = ConfigureTestServices,
        };
        _postgres = null;
        _ownsDirectory = false;
        return successor;
    }

    /// <summary>Extra test registrations (e.g. a hub filter), applied after the Api's own; set before the server starts.</summary>
    public Action<IServiceCollection>? ConfigureTestServices { get; set; }

    /// <param name="settings">Extra configuration keys, e.g. "Redis:Connection".</param>
    public static async Task<ApiFactory> CreateAsync(DatabaseProvider provider, IReadOnlyDictionary<string, string>? settings = null)
    {
        var directory = Path.Combine(Path.GetTempPath(), "hamachi-api-test-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(directory);
        if (provider == DatabaseProvider.Postgres)
        {
            var db = await PostgresDatabase.CreateAsync();
            return new ApiFactory(provider, db.ConnectionString, directory, db, settings);
        }

        return new ApiFactory(provider, $"Data Source={Path.Combine(directory, "hamachi.db")}", directory, null, settings);
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("Database:Provider", _provider.ToString());
        builder.UseSetting("Database:ConnectionString", _connectionString);
        builder.UseSetting("Identity:KeyDirectory", Path.Combine(_directory, "keys"));
        builder.UseSetting("RateLimits:RegistrationsPerMinute", "100000");
        builder.UseSetting("RateLimits:AccountRecoveryPerMinute", "100000");
        // Every test signs in and guesses from the same (absent) address: the rate-limit tests set production values.
        builder.UseSetting("RateLimits:SignInsPerMinute", "100000");
        builder.UseSetting("RateLimits:DeviceCodeGuessesPerMinute", "100000");
        builder.UseSetting("RateLimits:SetupKeyGuessesPerMinute", "100000");
        builder.UseSetting("RateLimits:PersonalTokenGuessesPerMinute", "100000");
        builder.UseSetting("RateLimits:PersonalTokenRequestsPerMinute", "100000");
        // Every test signs in from the same (absent) address: only the throttle tests count per address.
        builder.UseSetting("SignInThrottle:AddressFreeFailures", "100000");
        builder.UseSetting("Mail:PickupDirectory", MailDirectory);

        // Most tests register and sign in at once, and grant staff roles without an authenticator;
        // the account tests turn both back on (AccountWorld).
        builder.UseSetting("Identity:RequireConfirmedEmail", "false");
        builder.UseSetting("Identity:RequireTwoFactorForStaff", "false");
        builder.UseSetting("Identity:AllowHttp", "true");
        builder.UseSetting("Bootstrap:CreateAdmin", "false");
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
        builder.UseSetting("Relays:RegistrationSecret", RelaySecret);
        builder.ConfigureServices(s => s.AddSingleton<IStartupFilter, TestClientAddress>());
        if (ConfigureTestServices is { } configure)
        {
            builder.ConfigureTestServices(configure);
        }
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        SqliteConnection.ClearAllPools();
        if (_postgres is not null)
        {
            await _postgres.DisposeAsync();
        }

        if (!_ownsDirectory)
        {
            return;
        }

        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a leftover temp directory does not fail a test.
        }
    }
}
