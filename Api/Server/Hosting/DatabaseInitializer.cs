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
        if (sp.GetRequiredService<IOptions<IdentityServerOptions>>().Value.AllowHttp)
        {
            log.LogWarning("Identity:AllowHttp is true: sign-in, tokens and device codes are served over plain HTTP. "
                + "Only for an Api reachable on loopback (./run.sh, the compose default) or behind a TLS-terminating proxy; never on a public address");
        }

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

        if (dbOptions.Provider == Migrations.DatabaseProvider.Sqlite)
        {
            await UseWriteAheadLogAsync(db, log, ct);
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

    /// <summary>
    /// Puts the SQLite file in WAL mode (persistent in the file): readers no longer block the writer,
    /// so a hub login that updates its device while a map tick reads does not fail with
    /// "database is locked" (SQLITE_BUSY without waiting, the rollback journal's reader/writer deadlock).
    /// </summary>
    private static async Task UseWriteAheadLogAsync(HamachiDbContext db, ILogger log, CancellationToken ct)
    {
        await db.Database.OpenConnectionAsync(ct);
        string actual;
        try
        {
            await using var command = db.Database.GetDbConnection().CreateCommand();
            command.CommandText = "PRAGMA journal_mode=WAL;";
            actual = (await command.ExecuteScalarAsync(ct))?.ToString() ?? "unknown";
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }

        if (!string.Equals(actual, "wal", StringComparison.OrdinalIgnoreCase) && !string.Equals(actual, "memory", StringComparison.OrdinalIgnoreCase))
        {
            log.LogWarning("SQLite stays in journal mode {Mode} (WAL refused): concurrent writes may fail with 'database is locked'", actual);
        }
    }

    /// <summary>The command an operator runs to get a new one-time password (docs, console text, sign-in page).</summary>
    public const string ResetCommand = "reset-admin-password";

    private static async Task CreateFirstAdminAsync(IServiceProvider sp, string email, ILogger log)
    {
        var users = sp.GetRequiredService<UserManager<User>>();
        var clock = sp.GetRequiredService<TimeProvider>();
        var password = NewOneTimePassword();
        var admin = new User
        {
            Id = Guid.CreateVersion7(clock.GetUtcNow()),
            UserName = email,
            Email = email,
            EmailConfirmed = true,
            DisplayName = "Administrator",
            CreatedAt = clock.GetUtcNow(),
        };
        MarkOneTimePassword(sp, admin);
        var created = await users.CreateAsync(admin, password);
        if (!created.Succeeded)
        {
            throw new InvalidOperationException($"Bootstrap:AdminEmail: creating the first admin failed: {string.Join("; ", created.Errors.Select(e => e.Description))}");
        }

        await users.AddToRolesAsync(admin, [Roles.Admin, Roles.Support]);
        log.LogWarning("created the first admin account {Email}; its one-time password was printed to the console", email);
        PrintOneTimePassword(sp, "First admin account created (new database)", admin, password);
    }

    /// <summary>
    /// <c>HamachiCloud.Api reset-admin-password</c>: gives the admin (<c>Bootstrap:AdminEmail</c>) a new
    /// one-time password, ends its sign-in sessions (every OAuth authorization and its tokens, refresh tokens
    /// included, are revoked: a thief's token does not come back once the admin has chosen a new password)
    /// and prints the password. For a lost admin password or an expired one-time password; the old password stops working.
    /// </summary>
    public static async Task ResetAdminPasswordAsync(IServiceProvider root, CancellationToken ct = default)
    {
        await using var scope = root.CreateAsyncScope();
        var sp = scope.ServiceProvider;
        var log = sp.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(DatabaseInitializer));
        var email = sp.GetRequiredService<IOptions<BootstrapOptions>>().Value.AdminEmail;
        var users = sp.GetRequiredService<UserManager<User>>();
        var admin = await users.FindByEmailAsync(email)
            ?? throw new InvalidOperationException($"Bootstrap:AdminEmail: no account {email} in this database; set Bootstrap:AdminEmail to the admin's email");

        var password = NewOneTimePassword();
        MarkOneTimePassword(sp, admin);
        admin.LockoutEnd = null; // left by versions that locked accounts
        admin.AccessFailedCount = 0;
        sp.GetRequiredService<Audit.AuditLog>().Record(null, "account.password_reset", "user", admin.Id, "one-time password issued by reset-admin-password");

        // Same unit of work: password hash, new security stamp (sessions end), flags and the audit event.
        var reset = await users.ResetPasswordAsync(admin, await users.GeneratePasswordResetTokenAsync(admin), password);
        if (!reset.Succeeded)
        {
            throw new InvalidOperationException($"resetting the password of {email} failed: {string.Join("; ", reset.Errors.Select(e => e.Description))}");
        }

        var ended = await sp.GetRequiredService<Sessions.SessionService>().RevokeAllAsync(admin.Id, "reset-admin-password", ct);
        log.LogWarning("revoked {Count} sessions of {Email} and their tokens", ended, email);

        log.LogWarning("reset the password of {Email}; its new one-time password was printed to the console", email);
        PrintOneTimePassword(sp, "Admin password reset", admin, password);
    }

    private static string NewOneTimePassword() => Auth.SecretTokens.Generate("").Replace('-', 'x').Replace('_', 'y')[..20];

    private static void MarkOneTimePassword(IServiceProvider sp, User user)
    {
        var hours = sp.GetRequiredService<IOptions<BootstrapOptions>>().Value.OneTimePasswordHours;
        user.MustChangePassword = true;
        user.OneTimePasswordExpiresAt = sp.GetRequiredService<TimeProvider>().GetUtcNow().AddHours(hours);
    }

    private static void PrintOneTimePassword(IServiceProvider sp, string title, User user, string password) =>
        sp.GetRequiredService<OperatorConsole>().Write($"""

            ==> {title}
                email:    {user.Email}
                password: {password}
                This one-time password is shown once and expires {user.OneTimePasswordExpiresAt:yyyy-MM-dd HH:mm} UTC.
                Sign in at /account/login, then choose your own password (required before anything else).
                Expired or lost: `./run.sh {ResetCommand}`, or run the Api with the argument `{ResetCommand}`.

            """);

    /// <summary>
    /// A new directory for the SQLite file is created owner-only (0700; an existing one is left as
    /// it is: it may be shared, like /tmp) and a new database file is created 0600 before SQLite
    /// opens it (its -wal and -shm files take the same mode); an existing file readable by others
    /// is narrowed to 0600. The database holds password hashes and tokens.
    /// </summary>
    private static void EnsureSqliteDirectory(string connectionString)
    {
        var builder = new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(connectionString);
        if (builder.DataSource is "" or ":memory:" || builder.Mode == Microsoft.Data.Sqlite.SqliteOpenMode.Memory)
        {
            return;
        }

        var file = Path.GetFullPath(builder.DataSource);
        var directory = Path.GetDirectoryName(file);
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(directory!);
            return;
        }

        const UnixFileMode ownerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
        const UnixFileMode ownerReadWrite = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory, ownerOnly);
        }

        if (!File.Exists(file))
        {
            using var created = new FileStream(file, new FileStreamOptions
            {
                Mode = FileMode.CreateNew,
                Access = FileAccess.Write,
                UnixCreateMode = ownerReadWrite,
            });
        }
        else if ((File.GetUnixFileMode(file) & ~ownerReadWrite) != 0)
        {
            File.SetUnixFileMode(file, ownerReadWrite);
        }
    }
}
