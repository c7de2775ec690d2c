using Xunit;

namespace HamachiCloud.Testing;

/// <summary>
/// Prerequisites of tests that need a real service. Outside CI a missing prerequisite skips the
/// test (use <c>[SkippableFact]</c>); with <c>CI=true</c> it fails the test, so nothing is skipped
/// silently in CI. <c>./test.sh</c> starts the services and exports their addresses.
/// </summary>
public static class Requires
{
    public const string PostgresVariable = "HAMACHI_TEST_POSTGRES";
    public const string RedisVariable = "HAMACHI_TEST_REDIS";

    public static bool InCi =>
        string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>An Npgsql connection string of a user that may create databases.</summary>
    public static string Postgres() => Variable(PostgresVariable, "PostgreSQL");

    /// <summary>A StackExchange.Redis configuration string (host:port).</summary>
    public static string Redis() => Variable(RedisVariable, "Redis");

    private static string Variable(string name, string what)
    {
        var value = Environment.GetEnvironmentVariable(name);
        if (!string.IsNullOrWhiteSpace(value))
        {
            return value;
        }

        var message = $"{what} is not available: {name} is not set (./test.sh starts it and sets it)";
        if (InCi)
        {
            throw new InvalidOperationException($"CI=true: {message}");
        }

        throw new SkipException(message);
    }
}
