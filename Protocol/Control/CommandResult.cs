namespace HamachiCloud.Protocol.Control;

/// <summary>
/// The answer to an agent command over the hub (create, join, leave, go online/offline, nickname).
/// <see cref="Pending"/>: a join that now waits for the network's owner or admins to approve it.
/// </summary>
public sealed record CommandResult(bool Ok, string? ErrorCode = null, string? Error = null, string? NetworkId = null, bool Pending = false);
