namespace HamachiCloud.Protocol.Control;

/// <summary>
/// First message of every connection (agent → server): the versions the agent speaks, who it
/// claims to be, and a fresh 32-byte nonce the server must sign. <paramref name="AgentVersion"/>
/// and <paramref name="Os"/> (a short human description, e.g. "Linux 6.1 (Debian GNU/Linux 12)")
/// are shown to the device's network members; the server sanitizes and cuts them.
/// </summary>
public sealed record HelloRequest(int[] ProtocolVersions, Guid DeviceId, byte[] AgentNonce, string? AgentVersion = null, string? Os = null);
