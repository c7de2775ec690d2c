using HamachiCloud.Data.Entities;
using HamachiCloud.Migrations;
using HamachiCloud.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace HamachiCloud.Data.Tests;

/// <summary>The migrations of both providers match the model and apply to an empty database.</summary>
public sealed class MigrationTests
{
    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public void Model_has_no_pending_changes(DatabaseProvider provider)
    {
        // HasPendingModelChanges compares the model with the snapshot and does not connect.
        var connection = provider == DatabaseProvider.Sqlite ? "Data Source=:memory:" : "Host=127.0.0.1;Database=unused";
        using var db = DatabaseRegistration.CreateContext(provider, connection);
        Assert.False(db.Database.HasPendingModelChanges(), $"{provider}: run infra/scripts/add-migration.sh");
    }

    [Fact]
    public async Task Sqlite_migrates_from_empty_and_seeds_the_plans()
    {
        var file = Path.Combine(Path.GetTempPath(), $"hamachi-migrate-{Guid.NewGuid():N}.db");
        try
        {
            await using var db = DatabaseRegistration.CreateContext(DatabaseProvider.Sqlite, $"Data Source={file};Pooling=False");
            await AssertMigratesFromEmpty(db);
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            File.Delete(file);
        }
    }

    [SkippableFact]
    public async Task Postgres_migrates_from_empty_and_seeds_the_plans()
    {
        await using var database = await PostgresDatabase.CreateAsync();
        await using var db = DatabaseRegistration.CreateContext(DatabaseProvider.Postgres, database.ConnectionString);
        await AssertMigratesFromEmpty(db);
    }

    private static async Task AssertMigratesFromEmpty(HamachiDbContext db)
    {
        Assert.NotEmpty(db.Database.GetMigrations());
        Assert.Empty(await db.Database.GetAppliedMigrationsAsync());

        await db.Database.MigrateAsync();

        Assert.Empty(await db.Database.GetPendingMigrationsAsync());
        var plans = await db.Plans.OrderBy(p => p.MaxMembersPerNetwork).ThenBy(p => p.Id).ToListAsync();
        Assert.Equal(
            [(Plan.FreeId, 5), (Plan.StandardId, 32), (Plan.MultiNetworkId, 256), (Plan.PremiumId, 256)],
            plans.Select(p => (p.Id, p.MaxMembersPerNetwork)));
        Assert.True(plans.Single(p => p.Id == Plan.MultiNetworkId).AccountWide);
    }
}
