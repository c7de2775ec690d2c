using HamachiCloud.Migrations;
using Microsoft.Extensions.Options;

namespace HamachiCloud.Api.Hosting;

/// <summary>Section <c>Database</c>: which provider and where.</summary>
public sealed class DatabaseOptions
{
    public const string Section = "Database";

    /// <summary><c>Sqlite</c> (embedded default) or <c>Postgres</c>.</summary>
    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;

    /// <summary>Provider connection string. Default: a SQLite file under ./data.</summary>
    public string ConnectionString { get; set; } = "Data Source=data/hamachi.db";

    /// <summary>Apply pending migrations at start (default true).</summary>
    public bool MigrateOnStart { get; set; } = true;

    internal sealed class Validator : IValidateOptions<DatabaseOptions>
    {
        public ValidateOptionsResult Validate(string? name, DatabaseOptions o)
        {
            if (!Enum.IsDefined(o.Provider))
            {
                return ValidateOptionsResult.Fail($"{Section}:Provider: '{o.Provider}' is not Sqlite or Postgres");
            }

            return string.IsNullOrWhiteSpace(o.ConnectionString)
                ? ValidateOptionsResult.Fail($"{Section}:ConnectionString is required")
                : ValidateOptionsResult.Success;
        }
    }
}
