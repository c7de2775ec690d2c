using HamachiCloud.Api.Contracts.Client;
using HamachiCloud.Api.Tests;
using HamachiCloud.Migrations;
using Xunit.Abstractions;

namespace HamachiCloud.Integration.Tests.Lab;

/// <summary>
/// A control-plane lab: <see cref="LabHosts"/> (host 0 is the server's), the real Api exposed at
/// host 0's address (<see cref="LabApi"/>), and agents added one per further host, each enrolled
/// with a setup key and its daemon logged in. Dispose stops everything, agents first.
/// </summary>
internal sealed class ControlLab : IAsyncDisposable
{
    private readonly ITestOutputHelper _output;

    private ControlLab(LabHosts hosts, LabApi api, ITestOutputHelper output)
    {
        Hosts = hosts;
        Api = api;
        _output = output;
    }

    public LabHosts Hosts { get; }

    public LabApi Api { get; }

    public List<LabAgent> Agents { get; } = [];

    /// <param name="hosts">Namespace hosts including the server's.</param>
    public static async Task<ControlLab> StartAsync(int hosts, ITestOutputHelper output, ApiFactory? factory = null)
    {
        var lab = LabHosts.Up(hosts);
        try
        {
            factory ??= await ApiFactory.CreateAsync(DatabaseProvider.Sqlite);
            return new ControlLab(lab, LabApi.Start(factory, lab.Hosts[0].Namespace, lab.Hosts[0].Underlay), output);
        }
        catch
        {
            lab.Dispose();
            throw;
        }
    }

    /// <summary>Enrols an agent of <paramref name="user"/> on the next free host (server <paramref name="via"/>, default this lab's Api) and starts its daemon.</summary>
    public async Task<LabAgent> AddAgentAsync(HamachiClient user, string name, LabApi? via = null)
    {
        var host = Hosts.Hosts[1 + _reserved + Agents.Count];
        var agent = await LabAgent.EnrolAsync(host.Namespace, (via ?? Api).Url, user, name, _output);
        Agents.Add(agent);
        agent.Start();
        return agent;
    }

    private int _reserved;

    /// <summary>Keeps hosts 1..<paramref name="count"/> for extra Api nodes; agents start after them.</summary>
    public void ReserveServerHosts(int count) => _reserved = count;

    public async ValueTask DisposeAsync()
    {
        try
        {
            foreach (var agent in Agents)
            {
                agent.Dispose();
            }

            await Api.DisposeAsync();
        }
        finally
        {
            Hosts.Dispose();
        }
    }
}
