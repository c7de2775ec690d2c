using HamachiCloud.Protocol.Control;
using HamachiCloud.Protocol.Crypto;

namespace HamachiCloud.Api.ControlPlane;

/// <summary>
/// Pure: whether a login is accepted. Order: ban, unknown device, signature, then expiry — the
/// expiry is only revealed to the holder of the machine key. Denies on anything unexpected (a
/// stored key that does not parse is a bad signature). Returns null to accept, else a
/// <see cref="LoginErrors"/> code and the reason the CLI shows.
/// </summary>
internal static class LoginDecision
{
    public static (string Code, string Reason)? Decide(
        string? banReason, Device? device, int version, Guid deviceId, byte[] agentNonce, byte[] serverNonce, byte[]? signature, DateTimeOffset now)
    {
        if (banReason is not null)
        {
            return (LoginErrors.Banned, $"your address is in a banned range: {banReason}");
        }

        if (device is null)
        {
            return (LoginErrors.UnknownDevice, $"device {deviceId} is not enrolled (deleted?); enrol it again with 'hamachi login'");
        }

        var transcript = LoginTranscript.AgentProof(version, deviceId, agentNonce, serverNonce);
        if (signature is null
            || !SigningPublicKey.TryParse(device.MachineKey, out var machineKey)
            || machineKey is null
            || !machineKey.Verify(transcript, signature))
        {
            return (LoginErrors.BadSignature, "the machine key's signature over the login transcript does not verify");
        }

        if (device.KeyExpiresAt is { } expires && expires <= now)
        {
            return (LoginErrors.KeyExpired, $"the device's keys expired at {expires:u}; enrol it again with 'hamachi login'");
        }

        return null;
    }
}
