namespace HamachiCloud.Protocol.Control;

/// <summary>The answer to an agent command over the hub (create, join, leave, go online/offline, nickname).</summary>
public sealed record CommandResult(bool Ok, string? ErrorCode = null, string? Error = null, string? NetworkId = null);
