using HamachiCloud.Api.ControlPlane;
using HamachiCloud.Protocol.Control;
using HamachiCloud.Protocol.Crypto;
using HamachiCloud.Protocol.Relay;
using Microsoft.Extensions.Options;

namespace HamachiCloud.Api.Relays;

/// <summary>
/// Issues relay tokens for the hub's <c>GetRelayTokens</c>: only for a peer the caller's current map lists, one per
/// live relay, valid <see cref="RelaysOptions.TokenLifetimeMinutes"/>, capped at the highest relay bandwidth among
/// the plans of the networks through which the two reach each other. Scoped.
/// </summary>
internal sealed class RelayTokens(HamachiDbContext db, ServerIdentity identity, IOptions<RelaysOptions> options, IOptions<Devices.AddressPoolOptions> pool, TimeProvider clock)
{
    public async Task<RelayTokenGrant> GrantAsync(Guid deviceId, Guid userId, string peerNodeKey, CancellationToken ct)
    {
        if (!NodeKey.TryParseBase64(peerNodeKey, out var peerKey) && !NodeKey.TryParse(peerNodeKey, out peerKey))
        {
            return new RelayTokenGrant([], RelayTokenErrors.InvalidNodeKey, "peer node key: expected base64 of 32 bytes or nodekey:<hex>");
        }

        var now = clock.GetUtcNow();
        var snapshot = await MapSnapshotLoader.LoadAsync(db, [userId], ct);
        var self = snapshot.Devices.FirstOrDefault(d => d.Id == deviceId);
        var map = self is null ? null : NetworkMapBuilder.Build(snapshot, deviceId, 0, pool.Value.IPv4Pool, now);
        var peer = map?.Peers.FirstOrDefault(p => p.NodeKey == peerKey!.ToBase64());
        if (self is null || peer is null)
        {
            return new RelayTokenGrant([], RelayTokenErrors.PeerNotReachable, "your current network map does not let you reach that peer");
        }

        var relays = await RelayDirectory.LiveAsync(db, now, options.Value.LiveSeconds, ct);
        if (relays.Count == 0)
        {
            return new RelayTokenGrant([], RelayTokenErrors.NoRelay, "no relay is online");
        }

        var bandwidth = await BandwidthAsync(peer.NetworkIds, ct);
        var expires = DateTimeOffset.FromUnixTimeSeconds((now + TimeSpan.FromMinutes(options.Value.TokenLifetimeMinutes)).ToUnixTimeSeconds());
        var selfKey = NodeKey.FromBytes(Convert.FromBase64String(self.NodeKey));
        var tokens = relays
            .Select(r => new RelayTokenEntry(r.Id, Convert.ToBase64String(identity.SignRelayToken(new RelayToken(r.Id, selfKey, peerKey!, expires, bandwidth))), expires, bandwidth))
            .ToList();
        return new RelayTokenGrant(tokens);
    }

    /// <summary><c>Relays:BandwidthKbps</c> when set, else the most generous cap among the shared networks' plans (0 = unlimited wins).</summary>
    private async Task<long> BandwidthAsync(IReadOnlyList<Guid> networkIds, CancellationToken ct)
    {
        if (options.Value.BandwidthKbps is { } fixedKbps)
        {
            return fixedKbps * 1000L;
        }

        var ids = networkIds.ToList();
        var caps = await db.Networks.Where(n => ids.Contains(n.Id)).Select(n => n.Plan!.RelayKbps).ToListAsync(ct);
        if (caps.Count == 0)
        {
            return Plan.FreeRelayBitsPerSecond;
        }

        return caps.Any(c => c == 0) ? 0 : caps.Max() * 1000L;
    }
}
