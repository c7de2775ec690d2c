using System.Net;
using HamachiCloud.Agent.Engine.IO;
using HamachiCloud.Agent.Engine.Traversal;
using HamachiCloud.Protocol.Control;

namespace HamachiCloud.Agent.Daemon;

/// <summary>
/// Runs the NAT discovery (<see cref="NatProbe"/>) against the relays of the current map: as soon as a map
/// lists relays, again when the relays or the local endpoints (network change) change, and every
/// <see cref="Interval"/>; after each run the new report goes to the server with <c>ReportDiscovery</c>.
/// The CLI's <c>netcheck</c> runs it on demand (<see cref="RunNowAsync"/>).
/// </summary>
public sealed class DiscoveryLoop(NatProbe probe, Func<IReadOnlyList<RelayInfo>> relays, Func<IReadOnlyList<string>> localEndpoints,
    Func<DiscoveryReport, Task> report, TimeProvider time, TextWriter log)
{
    public static readonly TimeSpan Interval = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan Check = TimeSpan.FromSeconds(2);

    /// <summary>The relays' STUN endpoints as the probe takes them ("ip:port" strings that do not parse are skipped).</summary>
    public static IReadOnlyList<StunServer> StunServers(IReadOnlyList<RelayInfo> relays) =>
        [.. relays.Select(r => new StunServer(r.Id, r.Name,
            [.. r.StunEndpoints.Select(e => IPEndPoint.TryParse(e, out var ep) ? NetEndpoint.From(ep) : (NetEndpoint?)null).OfType<NetEndpoint>()]))
            .Where(s => s.Endpoints.Count > 0)];

    public async Task RunAsync(CancellationToken ct)
    {
        string? lastKey = null;
        long lastRun = 0;
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(Check, time, ct);
                var servers = StunServers(relays());
                if (servers.Count == 0)
                {
                    continue;
                }

                var key = string.Join(' ', servers.SelectMany(s => s.Endpoints).Select(e => e.ToString())) + " | " + string.Join(' ', localEndpoints());
                if (key == lastKey && time.GetElapsedTime(lastRun) < Interval)
                {
                    continue;
                }

                lastKey = key;
                lastRun = time.GetTimestamp();
                await RunNowAsync(ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                log.WriteLine($"hamachi: NAT discovery failed: {e.Message}");
            }
        }
    }

    /// <summary>Runs the discovery now (or joins a run in progress), reports it to the server, returns it.</summary>
    public async Task<NatReport?> RunNowAsync(CancellationToken ct)
    {
        var servers = StunServers(relays());
        if (servers.Count == 0)
        {
            return probe.Last;
        }

        var nat = await probe.RunAsync(servers, ct);
        log.WriteLine($"hamachi: NAT discovery: udp-blocked={nat.UdpBlocked} mapped={nat.MappedEndpoint} mapping={nat.Mapping} filtering={nat.Filtering} port-preserved={nat.PortPreserved} hairpin={nat.Hairpinning}");
        try
        {
            await report(new DiscoveryReport(localEndpoints(), probe.LocalPort, nat));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            log.WriteLine($"hamachi: NAT report not sent: {e.Message}");
        }

        return nat;
    }
}
