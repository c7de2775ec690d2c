using System.Net;
using HamachiCloud.Testing.Net;

namespace HamachiCloud.Integration.Tests.Lab;

/// <summary>
/// Namespace hosts from <c>infra/lab/hosts.sh up PREFIX N</c> (198.18.0.0/24 underlay on a bridge);
/// Dispose runs <c>hosts.sh down PREFIX</c>, which also ends processes left in them.
/// </summary>
internal sealed class LabHosts : IDisposable
{
    private static int _counter;
    private readonly string _prefix;

    private LabHosts(string prefix, IReadOnlyList<(NetworkNamespace Namespace, IPAddress Underlay)> hosts)
    {
        _prefix = prefix;
        Hosts = hosts;
    }

    public IReadOnlyList<(NetworkNamespace Namespace, IPAddress Underlay)> Hosts { get; }

    public static string Script => Path.Combine(RepoRoot(), "infra", "lab", "hosts.sh");

    public static LabHosts Up(int count)
    {
        var prefix = $"e{Environment.ProcessId % 100000}x{Interlocked.Increment(ref _counter)}";
        string output;
        try
        {
            output = Shell.Run(Script, "up", prefix, count.ToString());
        }
        catch
        {
            Shell.TryRun(TimeSpan.FromSeconds(30), Script, "down", prefix);
            throw;
        }

        var hosts = output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split(' '))
            .Select(parts => (NetworkNamespace.Attach(parts[0]), IPAddress.Parse(parts[1])))
            .ToList();
        return new LabHosts(prefix, hosts);
    }

    public void Dispose() => Shell.TryRun(TimeSpan.FromSeconds(60), Script, "down", _prefix);

    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "infra", "lab", "hosts.sh")))
            {
                return dir.FullName;
            }
        }

        throw new FileNotFoundException($"infra/lab/hosts.sh not found above {AppContext.BaseDirectory}");
    }
}
