namespace HamachiCloud.Protocol.Control;

/// <summary>One relay's STUN round trip as the agent measured it (<see cref="Milliseconds"/> null: no answer).</summary>
public sealed record RelayLatency(Guid RelayId, string Name, double? Milliseconds);
