using HamachiCloud.Protocol.Control;
using HamachiCloud.Protocol.Crypto;

namespace HamachiCloud.Agent.Engine.Control;

/// <summary>
/// Restores the network map from the cache (the last full signed map plus the signed deltas
/// applied after it, all as received) when the server is unreachable. Every message is verified
/// against the pinned key again; a tampered or expired cache is refused. Pure.
/// </summary>
public static class MapRestore
{
    /// <summary>The cached map at its latest version, or null with <paramref name="error"/> explaining the refusal.</summary>
    public static NetworkMap? Restore(SignedMessage map, IReadOnlyList<SignedMessage> deltas, SigningPublicKey pinned, Guid deviceId,
        DateTimeOffset now, out string? error)
    {
        ArgumentNullException.ThrowIfNull(deltas);
        var current = SignedPayloads.Open<NetworkMap>(map, pinned, out var why);
        if (current is null)
        {
            error = $"cached network map refused (tampered?): {why}";
            return null;
        }

        if (current.DeviceId != deviceId)
        {
            error = $"cached network map refused: it is for device {current.DeviceId}, not this device {deviceId}";
            return null;
        }

        if (now >= current.ExpiresAt)
        {
            error = $"cached network map refused: it expired at {current.ExpiresAt:u} (issued {current.IssuedAt:u}); connect to the server to get a fresh one";
            return null;
        }

        foreach (var signed in deltas)
        {
            var delta = SignedPayloads.Open<NetworkMapDelta>(signed, pinned, out why);
            if (delta is null)
            {
                error = $"cached network map delta refused (tampered?): {why}";
                return null;
            }

            current = MapDeltas.Apply(current, delta) ?? current;
        }

        error = null;
        return current;
    }
}
