using HamachiCloud.Api.Contracts.Paths;
using HamachiCloud.Api.Networks;
using HamachiCloud.Protocol.Control;
using HamachiCloud.Protocol.Crypto;

namespace HamachiCloud.Api.Paths;

/// <summary>
/// Accepts the agents' path reports (the hub's <c>ReportPaths</c>: validated, peers resolved by node
/// key, unknown peers and malformed entries dropped) and answers <c>GET /api/v1/networks/{id}/paths</c>
/// for the network's members. Scoped.
/// </summary>
internal sealed class PathReports(HamachiDbContext db, PathReportStore store, TimeProvider clock, ILogger<PathReports> log)
{
    private const int MaxText = 256;
    private const int MaxCandidates = 64;

    public async Task SaveAsync(Guid deviceId, PathReport? report, CancellationToken ct)
    {
        var entries = report?.Peers ?? [];
        var keys = new Dictionary<string, PeerPathReport>(StringComparer.Ordinal);
        foreach (var entry in entries.Take(PathReportStore.MaxPeersPerDevice))
        {
            if (entry is null || !PathKinds.IsValid(entry.Path) || (entry.Endpoint?.Length ?? 0) > MaxText || (entry.WhyNotDirect?.Length ?? 0) > MaxText
                || (!NodeKey.TryParseBase64(entry.PeerNodeKey, out var key) && !NodeKey.TryParse(entry.PeerNodeKey, out key)) || key is null)
            {
                continue;
            }

            keys[Convert.ToHexStringLower(key.Bytes)] = entry with
            {
                CandidatesTried = [.. (entry.CandidatesTried ?? []).Take(MaxCandidates).Where(c => c is { Length: <= MaxText })],
                RttMilliseconds = entry.RttMilliseconds is >= 0 and < 600_000 ? entry.RttMilliseconds : null,
            };
        }

        var hexes = keys.Keys.ToList();
        var peers = await db.Devices.Where(d => hexes.Contains(d.NodeKey)).Select(d => new { d.Id, d.NodeKey }).ToListAsync(ct);
        var now = clock.GetUtcNow();
        store.Save(deviceId, peers.Where(p => p.Id != deviceId).ToDictionary(p => p.Id, p => new PathReportStore.Stored(keys[p.NodeKey], now)));
        if (entries.Count != peers.Count)
        {
            log.LogDebug("path report of {DeviceId}: {Kept} of {Sent} entries kept", deviceId, peers.Count, entries.Count);
        }
    }

    public async Task<IReadOnlyList<PeerPathDto>> ForNetworkAsync(Guid userId, Guid networkId, CancellationToken ct)
    {
        var network = await db.Networks.Include(n => n.Memberships).FirstOrDefaultAsync(n => n.Id == networkId, ct)
            ?? throw ApiProblemException.NotFound("network");
        Access.RequireMember(network, userId);
        var members = network.Memberships.Where(m => m.Status == Protocol.Networks.MemberStatus.Active).Select(m => m.UserId).ToList();
        var devices = await db.Devices.Where(d => members.Contains(d.UserId)).Select(d => new { d.Id, d.Name }).ToDictionaryAsync(d => d.Id, d => d.Name, ct);
        return [.. store.Among(devices.Keys.ToHashSet())
            .OrderBy(r => devices[r.Device], StringComparer.Ordinal).ThenBy(r => devices[r.Peer], StringComparer.Ordinal)
            .Select(r => new PeerPathDto(r.Device, devices[r.Device], r.Peer, devices[r.Peer], r.Report.Report.Path, r.Report.Report.Endpoint,
                r.Report.Report.CandidatesTried, r.Report.Report.WhyNotDirect, r.Report.Report.RttMilliseconds, r.Report.Report.RelayOverWebSocket, r.Report.ReportedAt))];
    }
}
