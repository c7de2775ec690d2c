using Microsoft.EntityFrameworkCore.Design;

namespace HamachiCloud.Migrations;

/// <summary>Used by <c>dotnet ef migrations add</c> only (see infra/scripts/add-migration.sh).</summary>
public sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SqliteHamachiDbContext>
{
    public SqliteHamachiDbContext CreateDbContext(string[] args) =>
        (SqliteHamachiDbContext)DatabaseRegistration.CreateContext(DatabaseProvider.Sqlite, "Data Source=design-time.db");
}
