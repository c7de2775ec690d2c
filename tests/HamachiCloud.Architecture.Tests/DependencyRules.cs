namespace HamachiCloud.Architecture.Tests;

/// <summary>
/// The dependency rules of docs/architecture.md as a pure function of what an assembly references:
/// <c>Protocol &lt;- Data &lt;- Migrations &lt;- Api -&gt; Api.Contracts &lt;- Portal</c>, with Protocol pure.
/// Two kinds of rule: which of our own assemblies each one may reference (the arrows of the
/// graph, exact names), and which third-party assemblies (name prefixes) and types it must not use.
/// </summary>
internal static class DependencyRules
{
    private const string Protocol = "HamachiCloud.Protocol";
    private const string Data = "HamachiCloud.Data";
    private const string Migrations = "HamachiCloud.Migrations";
    private const string Contracts = "HamachiCloud.Api.Contracts";
    private const string Api = "HamachiCloud.Api";
    private const string Portal = "HamachiCloud.Portal";
    private const string AgentEngine = "HamachiCloud.Agent.Engine";
    private const string AgentPlatform = "HamachiCloud.Agent.Platform";
    /// <summary>The agent CLI's assembly is named after its executable, not HamachiCloud.Agent.</summary>
    private const string Agent = "hamachi";
    private const string Relay = "HamachiCloud.Relay";
    private const string OwnPrefix = "HamachiCloud.";

    /// <summary>
    /// Our assemblies each production assembly may reference. An assembly missing here has no
    /// rule, which is itself a violation: add new projects (Relay) with their arrows.
    /// </summary>
    private static readonly Dictionary<string, string[]> AllowedOwn = new(StringComparer.Ordinal)
    {
        [Protocol] = [],
        [Data] = [Protocol],
        [Migrations] = [Protocol, Data],
        [Contracts] = [Protocol],
        [Api] = [Protocol, Data, Migrations, Contracts],
        [Portal] = [Protocol, Contracts],
        [AgentEngine] = [Protocol],
        [AgentPlatform] = [Protocol, AgentEngine],
        [Agent] = [Protocol, AgentEngine, AgentPlatform, Contracts],
        [Relay] = [Protocol],
    };

    private static readonly string[] Database =
    [
        "Microsoft.EntityFrameworkCore", "Npgsql", "Microsoft.Data.Sqlite", "Dapper", "StackExchange.Redis",
    ];

    /// <summary>
    /// Third-party assembly name prefixes each assembly must not reference, and why.
    /// "Microsoft.AspNetCore" also covers SignalR (Microsoft.AspNetCore.SignalR.*, the client too).
    /// </summary>
    private static readonly Dictionary<string, (string[] Prefixes, string Why)> ForbiddenThirdParty = new(StringComparer.Ordinal)
    {
        [Protocol] = (
            [
                "Microsoft.AspNetCore", "Microsoft.EntityFrameworkCore", "Npgsql", "Microsoft.Data.Sqlite", "Dapper",
                "StackExchange.Redis", "Microsoft.Extensions.DependencyInjection", "Microsoft.Extensions.Logging",
                "Microsoft.Extensions.Hosting",
            ],
            "Protocol is pure: no ASP.NET Core, SignalR, EF Core, database, DI, logging or hosting"),
        [Contracts] = (Database, "Api.Contracts is plain records and an HTTP client: no EF Core or database driver"),
        [Portal] = (Database, "the Portal talks to the Api over HTTP only: no EF Core or database driver"),
        [AgentEngine] = (Database, "the agent talks to the Api over HTTP/SignalR only: no EF Core or database driver"),
        [AgentPlatform] = (Database, "the agent talks to the Api over HTTP/SignalR only: no EF Core or database driver"),
        [Agent] = (Database, "the agent talks to the Api over HTTP/SignalR only: no EF Core or database driver"),
        [Relay] = (Database, "the relay talks to the Api over HTTP only (heartbeat): no EF Core or database driver"),
    };

    /// <summary>Types Protocol must not use: sockets, network and file I/O.</summary>
    private static readonly HashSet<string> ProtocolForbiddenTypes = new(StringComparer.Ordinal)
    {
        "System.Net.Sockets.Socket",
        "System.Net.Sockets.UdpClient",
        "System.Net.Sockets.TcpClient",
        "System.Net.Sockets.TcpListener",
        "System.Net.Sockets.NetworkStream",
        "System.Net.Sockets.SocketAsyncEventArgs",
        "System.Net.Sockets.SocketTaskExtensions",
        "System.Net.Dns",
        "System.Net.Http.HttpClient",
        "System.IO.File",
        "System.IO.FileInfo",
        "System.IO.FileStream",
        "System.IO.Directory",
        "System.IO.DirectoryInfo",
        "System.IO.RandomAccess",
        "System.IO.FileSystemWatcher",
    };

    /// <summary>True when <paramref name="assemblyName"/> has rules (is a known production assembly).</summary>
    public static bool HasRules(string assemblyName) => AllowedOwn.ContainsKey(assemblyName);

    /// <summary>
    /// Every rule <paramref name="assemblyName"/> breaks, one sentence each; empty when it obeys.
    /// <paramref name="references"/> are referenced assembly names; <paramref name="typeRefs"/> are
    /// full names ("Namespace.Type", nested "Outer+Inner") of the types it references.
    /// </summary>
    public static IReadOnlyList<string> Violations(
        string assemblyName, IEnumerable<string> references, IEnumerable<string> typeRefs)
    {
        if (!AllowedOwn.TryGetValue(assemblyName, out var allowed))
        {
            return [$"{assemblyName} has no dependency rule: add it to DependencyRules (tests/HamachiCloud.Architecture.Tests)"];
        }

        var violations = new List<string>();
        foreach (var reference in references.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            var own = reference.StartsWith(OwnPrefix, StringComparison.Ordinal) || reference == Agent;
            if (own && !allowed.Contains(reference, StringComparer.Ordinal))
            {
                var list = allowed.Length == 0 ? "none" : string.Join(", ", allowed);
                violations.Add($"{assemblyName} references {reference}: of our assemblies it may reference only {list}");
            }

            if (ForbiddenThirdParty.TryGetValue(assemblyName, out var forbidden) &&
                forbidden.Prefixes.Any(p => reference.StartsWith(p, StringComparison.Ordinal)))
            {
                violations.Add($"{assemblyName} references {reference}: {forbidden.Why}");
            }
        }

        if (assemblyName == Protocol)
        {
            foreach (var type in typeRefs.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
            {
                if (ProtocolForbiddenTypes.Contains(type))
                {
                    violations.Add($"{assemblyName} uses {type}: Protocol is pure (no sockets, network or file I/O); I/O belongs to Agent, Relay or Api");
                }
            }
        }

        return violations;
    }
}
