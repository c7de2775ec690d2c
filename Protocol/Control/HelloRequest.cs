namespace HamachiCloud.Protocol.Control;

/// <summary>
/// First message of every connection (agent → server): the versions the agent speaks, who it
/// claims to be, and a fresh 32-byte nonce the server must sign.
/// </summary>
public sealed record HelloRequest(int[] ProtocolVersions, Guid DeviceId, byte[] AgentNonce, string? AgentVersion = null);
