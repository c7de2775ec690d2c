using HamachiCloud.Protocol.Control;
using HamachiCloud.Protocol.Crypto;

namespace HamachiCloud.Api.ControlPlane;

/// <summary>
/// Pure: whether a login is accepted. Order: ban, then device and signature together, then expiry —
/// the expiry is only revealed to the holder of the machine key. An unknown device and a signature
/// that does not verify get the same code and reason, after the same work (a signature check against
/// a throw-away key), so a login probe does not tell which device ids are enrolled. Denies on anything
/// unexpected (a stored key that does not parse is a bad signature). Returns null to accept, else a
/// <see cref="LoginErrors"/> code and the reason the CLI shows.
/// </summary>
internal static class LoginDecision
{
    /// <summary>The one answer for "no such device" and "wrong signature".</summary>
    public static readonly (string Code, string Reason) NotProven =
        (LoginErrors.BadSignature, "this device is not enrolled, or its machine key's signature does not verify; enrol it again with 'hamachi login'");

    private static readonly SigningPublicKey NobodysKey = CreateNobodysKey();

    public static (string Code, string Reason)? Decide(
        string? banReason, Device? device, int version, Guid deviceId, byte[] agentNonce, byte[] serverNonce, byte[]? signature, DateTimeOffset now)
    {
        if (banReason is not null)
        {
            return (LoginErrors.Banned, $"your address is in a banned range: {banReason}");
        }

        var transcript = LoginTranscript.AgentProof(version, deviceId, agentNonce, serverNonce);
        if (device is null)
        {
            _ = signature is not null && NobodysKey.Verify(transcript, signature);
            return NotProven;
        }

        if (signature is null
            || !SigningPublicKey.TryParse(device.MachineKey, out var machineKey)
            || machineKey is null
            || !machineKey.Verify(transcript, signature))
        {
            return NotProven;
        }

        if (device.KeyExpiresAt is { } expires && expires <= now)
        {
            return (LoginErrors.KeyExpired, $"the device's keys expired at {expires:u}; enrol it again with 'hamachi login'");
        }

        return null;
    }

    private static SigningPublicKey CreateNobodysKey()
    {
        using var key = SigningKey.Generate();
        return key.PublicKey;
    }
}
