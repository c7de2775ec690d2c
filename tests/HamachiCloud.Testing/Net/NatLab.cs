using System.Net;

namespace HamachiCloud.Testing.Net;

/// <summary>
/// A simulated internet with NAT'd sites: runs <c>infra/lab/nat.sh up PREFIX KIND...</c> (the one
/// definition of the topology, see infra/lab/README.md) and attaches its namespaces; Dispose runs
/// <c>nat.sh down PREFIX</c>, which ends processes left in them and deletes every namespace.
/// Needs root (<see cref="Requires.Root"/>) and nft (<c>Requires.Command("nft")</c>).
/// </summary>
/// <example>
/// <code>
/// using var lab = NatLab.Create(SiteKind.Eim, SiteKind.Symmetric);
/// var socket = lab.Sites[0].Host.Namespace.Invoke(() => new UdpClient(new IPEndPoint(IPAddress.Any, 0)));
/// socket.Send(payload, new IPEndPoint(lab.Server.Primary, 3478));
/// </code>
/// </example>
public sealed class NatLab : IDisposable
{
    private static int _counter;
    private readonly string _prefix;
    private int _disposed;

    private NatLab(string prefix, NetworkNamespace internet, NatServer server, IReadOnlyList<NatSite> sites)
    {
        _prefix = prefix;
        Internet = internet;
        Server = server;
        Sites = sites;
    }

    /// <summary>The internet router (no default route); every site and the server hang off it.</summary>
    public NetworkNamespace Internet { get; }

    public NatServer Server { get; }

    /// <summary>The sites in the order given to <see cref="Create"/>.</summary>
    public IReadOnlyList<NatSite> Sites { get; }

    public static string Script => Path.Combine(RepoRoot(), "infra", "lab", "nat.sh");

    /// <summary>Builds a lab with one site per kind given (kinds may repeat; at most 30 sites).</summary>
    public static NatLab Create(params SiteKind[] kinds)
    {
        if (kinds.Length == 0)
        {
            throw new ArgumentException("a NAT lab needs at least one site", nameof(kinds));
        }

        var prefix = $"n{Environment.ProcessId % 100000}x{Interlocked.Increment(ref _counter)}";
        string output;
        try
        {
            output = Shell.Run([Script, "up", prefix, .. kinds.Select(KindName)]);
        }
        catch
        {
            Shell.TryRun(TimeSpan.FromSeconds(60), Script, "down", prefix);
            throw;
        }

        return Parse(prefix, output);
    }

    /// <summary>What <c>nat.sh status</c> prints: addresses, NAT rules and drop counters of every namespace.</summary>
    public string Status() => Shell.Run(Script, "status", _prefix);

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            Shell.TryRun(TimeSpan.FromSeconds(60), Script, "down", _prefix);
        }
    }

    public static string KindName(SiteKind kind) => kind switch
    {
        SiteKind.None => "none",
        SiteKind.Eim => "eim",
        SiteKind.Symmetric => "symmetric",
        SiteKind.UdpBlocked => "udp-blocked",
        SiteKind.SameLan => "same-lan",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown site kind"),
    };

    private static NatLab Parse(string prefix, string output)
    {
        NetworkNamespace? internet = null;
        NatServer? server = null;
        var sites = new List<(int Index, SiteKind Kind, NetworkNamespace? Router, IPAddress Public)>();
        var hosts = new List<(int Site, NatHost Host)>();
        foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var f = line.Split(' ');
            switch (f[0])
            {
                case "internet":
                    internet = NetworkNamespace.Attach(f[1]);
                    break;
                case "server":
                    server = new NatServer(NetworkNamespace.Attach(f[1]), IPAddress.Parse(f[2]), IPAddress.Parse(f[3]));
                    break;
                case "site":
                    var kind = Enum.GetValues<SiteKind>().Single(k => KindName(k) == f[2]);
                    sites.Add((int.Parse(f[1]), kind, f[3] == "-" ? null : NetworkNamespace.Attach(f[3]), IPAddress.Parse(f[4])));
                    break;
                case "host":
                    hosts.Add((int.Parse(f[1]), new NatHost(NetworkNamespace.Attach(f[3]), IPAddress.Parse(f[4]))));
                    break;
                default:
                    throw new InvalidDataException($"nat.sh up {prefix}: unexpected line '{line}'");
            }
        }

        if (internet is null || server is null)
        {
            throw new InvalidDataException($"nat.sh up {prefix}: no internet/server line in '{output}'");
        }

        var built = sites
            .Select(s => new NatSite(s.Index, s.Kind, s.Router, s.Public, hosts.Where(h => h.Site == s.Index).Select(h => h.Host).ToList()))
            .ToList();
        return new NatLab(prefix, internet, server, built);
    }

    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "infra", "lab", "nat.sh")))
            {
                return dir.FullName;
            }
        }

        throw new FileNotFoundException($"infra/lab/nat.sh not found above {AppContext.BaseDirectory}");
    }
}
