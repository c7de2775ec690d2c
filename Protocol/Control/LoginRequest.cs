namespace HamachiCloud.Protocol.Control;

/// <summary>The agent's proof (agent → server): its machine key's signature over <see cref="LoginTranscript.AgentProof"/>.</summary>
public sealed record LoginRequest(byte[] MachineSignature);
