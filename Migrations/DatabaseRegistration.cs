using HamachiCloud.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace HamachiCloud.Migrations;

/// <summary>Registers <see cref="HamachiDbContext"/> backed by the provider's own subclass.</summary>
public static class DatabaseRegistration
{
    public static IServiceCollection AddHamachiDatabase(
        this IServiceCollection services, DatabaseProvider provider, string connectionString)
    {
        return provider switch
        {
            DatabaseProvider.Sqlite => services.AddDbContext<HamachiDbContext, SqliteHamachiDbContext>(
                o => ConfigureSqlite(o, connectionString)),
            DatabaseProvider.Postgres => services.AddDbContext<HamachiDbContext, PostgresHamachiDbContext>(
                o => ConfigurePostgres(o, connectionString)),
            _ => throw new ArgumentOutOfRangeException(nameof(provider), provider, "unknown database provider"),
        };
    }

    public static DbContextOptionsBuilder ConfigureSqlite(DbContextOptionsBuilder options, string connectionString) =>
        options.UseSqlite(connectionString, x => x.MigrationsAssembly(typeof(SqliteHamachiDbContext).Assembly.GetName().Name));

    public static DbContextOptionsBuilder ConfigurePostgres(DbContextOptionsBuilder options, string connectionString) =>
        options.UseNpgsql(connectionString, x => x.MigrationsAssembly(typeof(PostgresHamachiDbContext).Assembly.GetName().Name));

    /// <summary>A context outside DI (tests, tools).</summary>
    public static HamachiDbContext CreateContext(DatabaseProvider provider, string connectionString) => provider switch
    {
        DatabaseProvider.Sqlite => new SqliteHamachiDbContext(
            (DbContextOptions<SqliteHamachiDbContext>)ConfigureSqlite(new DbContextOptionsBuilder<SqliteHamachiDbContext>(), connectionString).Options),
        DatabaseProvider.Postgres => new PostgresHamachiDbContext(
            (DbContextOptions<PostgresHamachiDbContext>)ConfigurePostgres(new DbContextOptionsBuilder<PostgresHamachiDbContext>(), connectionString).Options),
        _ => throw new ArgumentOutOfRangeException(nameof(provider), provider, "unknown database provider"),
    };
}
