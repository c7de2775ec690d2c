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

    /// <summary>Root (network namespaces, TUN devices, nftables).</summary>
    public static void Root()
    {
        if (GetEuid() != 0)
        {
            Missing("root privileges (network namespaces, TUN devices)");
        }
    }

    /// <summary>A program on PATH (e.g. "wireguard-go", "iperf3", "nft"); returns its full path.</summary>
    public static string Command(string name)
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
                     .Concat(["/usr/sbin", "/sbin", "/usr/bin", "/bin"]))
        {
            var path = Path.Combine(dir, name);
            if (System.IO.File.Exists(path))
            {
                return path;
            }
        }

        Missing($"the program '{name}' (./test.sh installs it)");
        return "";
    }

    /// <summary>A file the tests run (a browser, a built program); returns <paramref name="path"/>.</summary>
    /// <param name="what">What it is and what provides it, e.g. "Chromium (./test.sh installs the chromium package)".</param>
    public static string File(string path, string what)
    {
        if (!System.IO.File.Exists(path))
        {
            Missing($"{what} at {path}");
        }

        return path;
    }

    /// <summary>Debian's Chromium, which the browser tests drive through Playwright (never a downloaded browser).</summary>
    public static string Chromium() => File("/usr/bin/chromium", "Chromium (./test.sh installs the chromium package)");

    private static void Missing(string what)
    {
        var message = $"{what} is not available";
        if (InCi)
        {
            throw new InvalidOperationException($"CI=true: {message}");
        }

        throw new SkipException(message);
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "geteuid")]
    private static extern uint GetEuid();

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
