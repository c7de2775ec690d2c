using HamachiCloud.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace HamachiCloud.Migrations;

/// <summary>The model on SQLite (the embedded default). Owns the migrations under Sqlite/.</summary>
public sealed class SqliteHamachiDbContext : HamachiDbContext
{
    public SqliteHamachiDbContext(DbContextOptions<SqliteHamachiDbContext> options)
        : base(options)
    {
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        base.ConfigureConventions(configurationBuilder);

        // SQLite cannot compare or order DateTimeOffset values; stored as UTC ticks they sort and
        // compare correctly (every timestamp we write is UTC).
        configurationBuilder.Properties<DateTimeOffset>().HaveConversion<DateTimeOffsetToBinaryConverter>();
    }
}
