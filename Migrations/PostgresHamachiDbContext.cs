using HamachiCloud.Data;
using Microsoft.EntityFrameworkCore;

namespace HamachiCloud.Migrations;

/// <summary>The model on PostgreSQL (production). Owns the migrations under Postgres/.</summary>
public sealed class PostgresHamachiDbContext : HamachiDbContext
{
    public PostgresHamachiDbContext(DbContextOptions<PostgresHamachiDbContext> options)
        : base(options)
    {
    }
}
