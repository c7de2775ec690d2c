using HamachiCloud.Migrations;

namespace HamachiCloud.Api.Tests;

/// <summary>An Api with the production defaults the other worlds turn off: confirmed email and staff two-factor required.</summary>
public abstract class AccountWorld : ApiWorld
{
    public const string PortalUrl = "https://portal.example.test";

    protected override IReadOnlyDictionary<string, string>? Settings => new Dictionary<string, string>
    {
        ["Identity:RequireConfirmedEmail"] = "true",
        ["Identity:RequireTwoFactorForStaff"] = "true",
        ["Identity:PortalUrl"] = PortalUrl,
    };
}

public sealed class SqliteAccountWorld : AccountWorld
{
    protected override DatabaseProvider Provider => DatabaseProvider.Sqlite;
}

public sealed class PostgresAccountWorld : AccountWorld
{
    protected override DatabaseProvider Provider => DatabaseProvider.Postgres;
}
