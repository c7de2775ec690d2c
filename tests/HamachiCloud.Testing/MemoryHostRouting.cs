using System.Net;
using HamachiCloud.Agent.Engine.IO;

namespace HamachiCloud.Testing;

/// <summary>
/// In-memory twin of the host's routing: a settable list of interface prefixes, the routes added
/// (a prefix listed in <see cref="Refuse"/> fails like an existing kernel route), and what is served.
/// </summary>
public sealed class MemoryHostRouting : IHostRouting
{
    public List<LocalPrefix> Interfaces { get; } = [];

    public HashSet<IPNetwork> Routes { get; } = [];

    public HashSet<IPNetwork> Refuse { get; } = [];

    public IReadOnlyList<IPNetwork> Served { get; private set; } = [];

    public bool Disposed { get; private set; }

    public IReadOnlyList<LocalPrefix> LocalPrefixes() => [.. Interfaces];

    public void AddRoute(IPNetwork prefix)
    {
        if (Refuse.Contains(prefix) || !Routes.Add(prefix))
        {
            throw new IOException($"ip -4 route add {prefix} dev mem0: exit code 2: RTNETLINK answers: File exists");
        }
    }

    public void RemoveRoute(IPNetwork prefix) => Routes.Remove(prefix);

    public void Serve(IReadOnlyList<IPNetwork> prefixes) => Served = [.. prefixes];

    public void Dispose()
    {
        Disposed = true;
        Routes.Clear();
        Served = [];
    }
}
