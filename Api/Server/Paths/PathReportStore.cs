using System.Collections.Concurrent;
using HamachiCloud.Protocol.Control;

namespace HamachiCloud.Api.Paths;

/// <summary>
/// The latest path report per (device, peer device), in memory (singleton, thread-safe). Path
/// reports are live telemetry refreshed by the agents every minute and on every change, so a node
/// restart only empties the table until the next reports. With several Api nodes each keeps the
/// reports of the agents connected to it; see docs/architecture.md (limits).
/// </summary>
internal sealed class PathReportStore
{
    /// <summary>Most peers kept per reporting device.</summary>
    public const int MaxPeersPerDevice = 512;

    private readonly ConcurrentDictionary<Guid, IReadOnlyDictionary<Guid, Stored>> _byDevice = new();

    /// <summary>Replaces everything <paramref name="deviceId"/> reported before.</summary>
    public void Save(Guid deviceId, IReadOnlyDictionary<Guid, Stored> peers) => _byDevice[deviceId] = peers;

    /// <summary>Forgets a device's reports (deleted device).</summary>
    public void Forget(Guid deviceId) => _byDevice.TryRemove(deviceId, out _);

    /// <summary>The reports of <paramref name="deviceIds"/> about peers also in <paramref name="deviceIds"/>.</summary>
    public IEnumerable<(Guid Device, Guid Peer, Stored Report)> Among(IReadOnlySet<Guid> deviceIds)
    {
        foreach (var device in deviceIds)
        {
            if (!_byDevice.TryGetValue(device, out var peers))
            {
                continue;
            }

            foreach (var (peer, report) in peers)
            {
                if (deviceIds.Contains(peer))
                {
                    yield return (device, peer, report);
                }
            }
        }
    }

    /// <summary>One stored peer report and when it arrived.</summary>
    public sealed record Stored(PeerPathReport Report, DateTimeOffset ReportedAt);
}
