using HamachiCloud.Api.Identity;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using OpenIddict.Abstractions;

namespace HamachiCloud.Api.Hosting;

/// <summary>
/// Runs once at start, before requests are served: applies migrations, registers the OAuth
/// clients and roles, and on a new database creates the first admin and prints its password.
/// </summary>
internal static class DatabaseInitializer
{
    public static async Task InitializeAsync(IServiceProvider root, CancellationToken ct = default)
    {
        await using var scope = root.CreateAsyncScope();
        var sp = scope.ServiceProvider;
        var log = sp.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(DatabaseInitializer));
        var dbOptions = sp.GetRequiredService<IOptions<DatabaseOptions>>().Value;
        var db = sp.GetRequiredService<HamachiDbContext>();

        if (dbOptions.Provider == Migrations.DatabaseProvider.Sqlite)
        {
            EnsureSqliteDirectory(dbOptions.ConnectionString);
        }

        if (dbOptions.MigrateOnStart)
        {
            var pending = (await db.Database.GetPendingMigrationsAsync(ct)).ToList();
            if (pending.Count > 0)
            {
                log.LogInformation("applying {Count} migrations on {Provider}: {Names}", pending.Count, dbOptions.Provider, string.Join(", ", pending));
                await db.Database.MigrateAsync(ct);
            }
        }

        await ClientRegistrations.EnsureAsync(
            sp.GetRequiredService<IOpenIddictApplicationManager>(), sp.GetRequiredService<IOptions<IdentityServerOptions>>().Value, ct);

        var roles = sp.GetRequiredService<RoleManager<Role>>();
        foreach (var name in new[] { Roles.Admin, Roles.Support })
        {
            if (!await roles.RoleExistsAsync(name))
            {
                await roles.CreateAsync(new Role { Name = name });
            }
        }

        var bootstrap = sp.GetRequiredService<IOptions<BootstrapOptions>>().Value;
        if (bootstrap.CreateAdmin && !await db.Users.AnyAsync(ct))
        {
            await CreateFirstAdminAsync(sp, bootstrap.AdminEmail, log);
        }
    }

    private static async Task CreateFirstAdminAsync(IServiceProvider sp, string email, ILogger log)
    {
        var users = sp.GetRequiredService<UserManager<User>>();
        var clock = sp.GetRequiredService<TimeProvider>();
        var password = Auth.SecretTokens.Generate("").Replace('-', 'x').Replace('_', 'y')[..20];
        var admin = new User
        {
            Id = Guid.CreateVersion7(clock.GetUtcNow()),
            UserName = email,
            Email = email,
            EmailConfirmed = true,
            DisplayName = "Administrator",
            CreatedAt = clock.GetUtcNow(),
        };
        var created = await users.CreateAsync(admin, password);
        if (!created.Succeeded)
        {
            throw new InvalidOperationException($"Bootstrap:AdminEmail: creating the first admin failed: {string.Join("; ", created.Errors.Select(e => e.Description))}");
        }

        await users.AddToRolesAsync(admin, [Roles.Admin, Roles.Support]);
        log.LogWarning("created the first admin account {Email}; its one-time password was printed to the console", email);
        Console.WriteLine($"""

            ==> First admin account created (new database)
                email:    {email}
                password: {password}
                This password is shown once. Sign in and change it.

            """);
    }

    private static void EnsureSqliteDirectory(string connectionString)
    {
        var builder = new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(connectionString);
        var directory = Path.GetDirectoryName(Path.GetFullPath(builder.DataSource));
        if (!string.IsNullOrEmpty(directory) && builder.DataSource != ":memory:")
        {
            Directory.CreateDirectory(directory);
        }
    }
}
