namespace HamachiCloud.Migrations;

/// <summary>The value of <c>Database:Provider</c>.</summary>
public enum DatabaseProvider
{
    Sqlite = 0,
    Postgres = 1,
}
