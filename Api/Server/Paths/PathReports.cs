using HamachiCloud.Api.Contracts.Paths;
using HamachiCloud.Api.Networks;
using HamachiCloud.Protocol.Control;
using HamachiCloud.Protocol.Crypto;

namespace HamachiCloud.Api.Paths;

/// <summary>
/// Accepts the agents' path reports (the hub's <c>ReportPaths</c>: validated, peers resolved by node
/// key, unknown peers and malformed entries dropped), keeps the latest per (device, peer) in the
/// database (<see cref="PeerPathRecord"/>, so every Api node answers the same and a restart loses
/// nothing) and answers <c>GET /api/v1/networks/{id}/paths</c> for the network's members. Scoped.
/// </summary>
internal sealed class PathReports(HamachiDbContext db, ControlPlane.MapChangeQueue changes, TimeProvider clock, ILogger<PathReports> log)
{
    /// <summary>Most peers kept per reporting device (later entries of a report are dropped).</summary>
    public const int MaxPeersPerDevice = 512;

    /// <summary>
    /// Reports older than this are left out of the listing (and deleted by <c>MaintenanceJobs</c>):
    /// agents report every minute, so three missed reports mean the device is gone or cut off.
    /// </summary>
    public static readonly TimeSpan StaleAfter = TimeSpan.FromMinutes(3);

    /// <summary>A report identical to the stored one is not written again until the stored one is this old.</summary>
    public static readonly TimeSpan RefreshAfter = TimeSpan.FromSeconds(30);

    private const int MaxText = 256;
    private const int MaxCandidates = 64;

    /// <summary>
    /// Replaces everything <paramref name="deviceId"/> reported before with <paramref name="report"/>:
    /// one read (peers by node key joined with the stored rows) and at most one <c>SaveChanges</c>
    /// (one transaction); none when nothing changed and the stored rows are fresher than <see cref="RefreshAfter"/>.
    /// </summary>
    public async Task SaveAsync(Guid deviceId, PathReport? report, CancellationToken ct)
    {
        var entries = report?.Peers ?? [];
        var keys = Validate(entries);
        var hexes = keys.Keys.ToList();
        for (var attempt = 1; ; attempt++)
        {
            var rows = await (
                from d in db.Devices
                join p in db.PeerPaths.Where(p => p.DeviceId == deviceId) on d.Id equals p.PeerDeviceId into stored
                from p in stored.DefaultIfEmpty()
                where d.Id != deviceId && (hexes.Contains(d.NodeKey) || p != null)
                select new { d.Id, d.NodeKey, Stored = p }).ToListAsync(ct);

            var now = clock.GetUtcNow();
            var fresh = true;
            var kept = new List<PeerPathRecord>(keys.Count);
            foreach (var row in rows)
            {
                if (!keys.TryGetValue(row.NodeKey, out var entry))
                {
                    db.PeerPaths.Remove(row.Stored!);
                    continue;
                }

                var record = row.Stored;
                if (record is null)
                {
                    record = new PeerPathRecord { DeviceId = deviceId, PeerDeviceId = row.Id };
                    db.PeerPaths.Add(record);
                }
                else
                {
                    fresh &= now - record.ReportedAt < RefreshAfter;
                }

                record.Path = entry.Path;
                record.Endpoint = entry.Endpoint;
                record.CandidatesTried = [.. entry.CandidatesTried];
                record.WhyNotDirect = entry.WhyNotDirect;
                record.RttMilliseconds = entry.RttMilliseconds;
                record.RelayOverWebSocket = entry.RelayOverWebSocket;
                kept.Add(record);
            }

            if (entries.Count != kept.Count)
            {
                log.LogDebug("path report of {DeviceId}: {Kept} of {Sent} entries kept", deviceId, kept.Count, entries.Count);
            }

            var changed = db.ChangeTracker.HasChanges();
            if (fresh && !changed)
            {
                return; // an identical repeat: the stored rows say the same and are recent
            }

            foreach (var record in kept)
            {
                record.ReportedAt = now;
            }

            try
            {
                await db.SaveChangesAsync(ct);
                if (changed)
                {
                    changes.PathsChanged(deviceId); // the Portal's watchers re-read the paths; a mere refresh is not news
                }

                return;
            }
            catch (DbUpdateException) when (attempt < 3)
            {
                // Another report of this device, or a deleted peer, changed the rows meanwhile: read them again.
                db.ChangeTracker.Clear();
            }
        }
    }

    public async Task<IReadOnlyList<PeerPathDto>> ForNetworkAsync(Guid userId, Guid networkId, CancellationToken ct)
    {
        var network = await db.Networks.AsNoTracking().Include(n => n.Memberships).FirstOrDefaultAsync(n => n.Id == networkId, ct)
            ?? throw ApiProblemException.NotFound("network");
        Access.RequireMember(network, userId);
        var members = network.Memberships.Where(m => m.Status == Protocol.Networks.MemberStatus.Active).Select(m => m.UserId).ToList();
        var devices = await db.Devices.Where(d => members.Contains(d.UserId)).Select(d => new { d.Id, d.Name }).ToDictionaryAsync(d => d.Id, d => d.Name, ct);
        var ids = devices.Keys.ToList();
        var since = clock.GetUtcNow() - StaleAfter;
        var rows = await db.PeerPaths.AsNoTracking()
            .Where(p => ids.Contains(p.DeviceId) && ids.Contains(p.PeerDeviceId) && p.ReportedAt >= since)
            .ToListAsync(ct);
        return [.. rows
            .OrderBy(r => devices[r.DeviceId], StringComparer.Ordinal).ThenBy(r => devices[r.PeerDeviceId], StringComparer.Ordinal)
            .Select(r => new PeerPathDto(r.DeviceId, devices[r.DeviceId], r.PeerDeviceId, devices[r.PeerDeviceId], r.Path, r.Endpoint,
                r.CandidatesTried, r.WhyNotDirect, r.RttMilliseconds, r.RelayOverWebSocket, r.ReportedAt))];
    }

    /// <summary>The well-formed entries by peer node key (lowercase hex), texts and numbers bounded.</summary>
    private static Dictionary<string, PeerPathReport> Validate(IReadOnlyList<PeerPathReport> entries)
    {
        var keys = new Dictionary<string, PeerPathReport>(StringComparer.Ordinal);
        foreach (var entry in entries.Take(MaxPeersPerDevice))
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

        return keys;
    }
}
