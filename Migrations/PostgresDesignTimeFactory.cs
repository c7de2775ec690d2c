using Microsoft.EntityFrameworkCore.Design;

namespace HamachiCloud.Migrations;

/// <summary>Used by <c>dotnet ef migrations add</c> only; never connects.</summary>
public sealed class PostgresDesignTimeFactory : IDesignTimeDbContextFactory<PostgresHamachiDbContext>
{
    public PostgresHamachiDbContext CreateDbContext(string[] args) =>
        (PostgresHamachiDbContext)DatabaseRegistration.CreateContext(DatabaseProvider.Postgres, "Host=127.0.0.1;Database=design_time");
}
