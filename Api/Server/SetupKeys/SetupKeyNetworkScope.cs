using HamachiCloud.Api.Audit;

namespace HamachiCloud.Api.SetupKeys;

/// <summary>
/// Applies a setup key's networks to a device just enrolled with it: the device takes part in
/// those networks and starts offline (Hamachi's go-offline, per device) in the account's other
/// networks; the owner can turn it on there later with <c>hamachi go-online</c>.
/// A key enrols into its creator's account, which had to manage each listed network when the key
/// was created, so the account is normally an active member already. If it has left, been evicted
/// or is waiting for approval since, that network is skipped (logged and audited): enrolment never
/// joins a network behind its managers' backs. Networks deleted since are gone from the key
/// (the link is deleted with the network). Runs in the enrolment's transaction.
/// </summary>
internal sealed class SetupKeyNetworkScope(HamachiDbContext db, AuditLog audit, TimeProvider clock, ILogger<SetupKeyNetworkScope> log)
{
    /// <summary>Saves the device's per-network states; true when anything changed (its map must be rebuilt).</summary>
    public async Task<bool> ApplyAsync(Guid keyId, Device device, CancellationToken ct)
    {
        var keyNetworks = await db.SetupKeyNetworks.Where(n => n.SetupKeyId == keyId).Select(n => n.NetworkId).ToListAsync(ct);
        if (keyNetworks.Count == 0)
        {
            return false; // no networks on the key: the device takes part in all of the account's networks
        }

        var active = await db.Memberships
            .Where(m => m.UserId == device.UserId && m.Status == MemberStatus.Active)
            .Select(m => m.NetworkId)
            .ToListAsync(ct);
        foreach (var skipped in keyNetworks.Except(active))
        {
            log.LogWarning("Enrolment of device {DeviceId} with setup key {KeyId}: skipped network {NetworkId}, the account is no longer an active member of it",
                device.Id, keyId, skipped);
            audit.Record(device.UserId, "setup_key.network_skipped", "network", skipped, $"device {device.Id}: the account is not an active member");
        }

        var now = clock.GetUtcNow();
        foreach (var other in active.Except(keyNetworks))
        {
            db.DeviceNetworkStates.Add(new DeviceNetworkState { DeviceId = device.Id, NetworkId = other, Online = false, UpdatedAt = now });
        }

        await db.SaveChangesAsync(ct);
        return true;
    }
}
